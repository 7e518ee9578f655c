"""Validated, immutable inputs: sites, staff groups, collaboration and policy."""

from footprint.inputs.collaboration import Collaboration
from footprint.inputs.modes import MODES, Mode, mode_by_id
from footprint.inputs.organisation import Organisation
from footprint.inputs.policy import Policy
from footprint.inputs.sites import Sites
from footprint.inputs.staff import StaffGroups

__all__ = [
    "MODES",
    "Collaboration",
    "Mode",
    "Organisation",
    "Policy",
    "Sites",
    "StaffGroups",
    "mode_by_id",
]
