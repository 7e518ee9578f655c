"""Accounting: the annual footprint by GHG Protocol scope and category."""

from footprint.accounting.account import account
from footprint.accounting.plan import (
    REMOTE,
    Plan,
    current_plan,
    nearest_plan,
    within_limit,
)
from footprint.accounting.result import (
    CATEGORIES,
    CommuteStats,
    EmissionLine,
    Footprint,
    GroupTable,
    SiteTable,
)

__all__ = [
    "CATEGORIES",
    "REMOTE",
    "CommuteStats",
    "EmissionLine",
    "Footprint",
    "GroupTable",
    "Plan",
    "SiteTable",
    "account",
    "current_plan",
    "nearest_plan",
    "within_limit",
]
