"""What the course's notebooks import: ``from repairlab.widgets import practise, write_it`` (the
readings), ``module_header`` (the top of each reading), ``course_home`` and ``reading_list`` (the course
home and the reading list, ``modules/home.ipynb`` and ``modules/references.ipynb``)."""

from .trainee.practise import course_home, module_header, practise, reading_list

__all__ = ["course_home", "module_header", "practise", "reading_list", "write_it"]  # noqa: F822 (write_it: __getattr__)


def __getattr__(name: str):
    """``write_it`` on first use: it brings the response coach and numpy (0.4 to 0.7 s), which no
    module page shows yet, and every page opens with this module's import."""
    if name == "write_it":
        from .trainee.widgets.write_it import write_it

        return write_it
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
