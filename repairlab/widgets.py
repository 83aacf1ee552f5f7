"""What the readings' notebooks import: ``from repairlab.widgets import practise``."""

from .trainee.practise import practise

__all__ = ["practise"]
