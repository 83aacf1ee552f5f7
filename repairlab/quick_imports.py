"""Imports that cost seconds for nothing: every ``repairlab`` command and every module's opening."""

from __future__ import annotations

import sys


def jsonschema():
    """jsonschema, imported without rfc3987_syntax: its format checker imports that package when it
    is installed (Jupyter installs it), which builds a grammar on import, 1 to 4 s, for an "iri" format
    neither the vignette schema nor nbformat's notebook schema uses. Call it before nbformat is imported."""
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import jsonschema as module
        return module
    sys.modules["rfc3987_syntax"] = None  # makes the import fail, so jsonschema skips that format
    try:
        import jsonschema as module
    finally:
        del sys.modules["rfc3987_syntax"]
    return module
