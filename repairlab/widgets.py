"""What the course's notebooks import: ``from repairlab.widgets import practise, write_it`` (the
readings), ``module_header`` (the top of each reading), ``course_home`` and ``reading_list`` (the course
home and the reading list, ``modules/home.ipynb`` and ``modules/references.ipynb``)."""

from .trainee.practise import course_home, module_header, practise, reading_list
from .trainee.widgets.write_it import write_it

__all__ = ["course_home", "module_header", "practise", "reading_list", "write_it"]
