"""The vignettes' widgets: one module per kind, laid out around the kind's practice logic (which
makes every decision), with ``base`` holding what they share. ipywidgets is imported only here."""
