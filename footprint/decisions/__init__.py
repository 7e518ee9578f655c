"""Decisions executives can defend: what drives a scenario's change, what it costs, its
embodied carbon and payback, and where it lands against a reduction target.

Pure Python on top of the accounting (:func:`footprint.accounting.account`); nothing
here changes a footprint.
"""

from footprint.decisions.attribution import (
    Attribution,
    AttributionError,
    Effect,
    attribute,
    attribute_change,
)
from footprint.decisions.decision import Decision, decide
from footprint.decisions.shapley import shapley_values

__all__ = [
    "Attribution",
    "AttributionError",
    "Decision",
    "Effect",
    "attribute",
    "attribute_change",
    "decide",
    "shapley_values",
]
