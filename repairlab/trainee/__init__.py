"""What trainees use: the vignettes (one module per kind, see ``kinds``), their widgets
and figures, the workspace copy of the exercises and the trainee JupyterLab. Nothing here imports
nbgrader or supervisor code (an import-linter contract checks it)."""
