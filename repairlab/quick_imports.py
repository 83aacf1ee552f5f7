"""Imports that cost seconds for nothing: every ``repairlab`` command and every module's opening."""

from __future__ import annotations

import sys

# What jsonschema's format checker imports when installed (Jupyter installs them), for formats neither
# the vignette schema nor nbformat's notebook schema uses: rfc3987_syntax builds a grammar on import
# (1 to 4 s), isoduration brings arrow (0.15 s), the rest 0.05 s together.
FORMAT_ONLY = ("rfc3987_syntax", "isoduration", "rfc3986_validator", "webcolors", "fqdn", "uri_template")


def jsonschema():
    """jsonschema, imported without the format checker's optional packages (``FORMAT_ONLY``): a module
    page opens 0.2 s sooner. Call it before nbformat is imported."""
    if "jsonschema" in sys.modules:
        import jsonschema as module
        return module
    blocked = [name for name in FORMAT_ONLY if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # makes the import fail, so jsonschema skips that format
    try:
        import jsonschema as module
    finally:
        for name in blocked:
            del sys.modules[name]
    return module
