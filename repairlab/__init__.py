"""RepairLab: shared code for the course's notebooks, exercises and supervisor tools.

Submodules are imported on demand so that a test cell importing ``repairlab.checks`` stays fast and
quiet (nbgrader scores any stderr output as a failure).
"""

__version__ = "0.1.0"
