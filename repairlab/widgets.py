"""What the readings' notebooks import: ``from repairlab.widgets import practise, write_it``."""

from .trainee.practise import practise
from .trainee.widgets.write_it import write_it

__all__ = ["practise", "write_it"]
