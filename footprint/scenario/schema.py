"""The scenario: what a scenario file holds, as validated frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from footprint.errors import Problem
from footprint.inputs import Policy

SCHEMA_VERSION = 1
HUB_SELECTIONS = ("current", "explicit", "largest", "optimise")
ASSIGNMENTS = ("nearest", "offices_whole")
OPTIMISER_METHODS = ("auto", "exact", "heuristic")


@dataclass(frozen=True)
class OrganisationRef:
    """Where the organisation comes from: the built-in demo, or the user's files.

    Paths are relative to the scenario file.

    Attributes
    ----------
    source : str
        ``"demo"`` or ``"files"``.
    sites, staff, collaboration : str
        The files (CSV or XLSX) for ``source = "files"``.
    columns : tuple of (str, str)
        ``[organisation.columns]``: the user's header → Footprint's field, for
        headers the automatic matching misses (``"Building ref" = "site_id"``);
        each entry applies to whichever file has that header.
    valid_rows_only : bool
        Import only the valid rows, leaving out (and listing) the rows with
        problems, instead of refusing the files.
    """

    source: str = "demo"
    sites: str = ""
    staff: str = ""
    collaboration: str = ""
    columns: tuple[tuple[str, str], ...] = ()
    valid_rows_only: bool = False

    def validate(self, where: str) -> list[Problem]:
        problems = []
        if self.source not in ("demo", "files"):
            problems.append(Problem("must be 'demo' or 'files'", where, None, "organisation.source"))
        if self.source == "files" and not (self.sites and self.staff):
            problems.append(Problem("with source = 'files', give both 'sites' and 'staff' file paths",
                                    where, None, "organisation"))
        if self.columns and self.source != "files":
            problems.append(Problem("a column mapping needs source = 'files'", where, None, "organisation.columns"))
        return problems


@dataclass(frozen=True)
class HubChoice:
    """Which sites are hubs and how staff are assigned to them.

    Attributes
    ----------
    selection : str
        ``"current"`` (today's estate), ``"explicit"`` (the listed ``sites``),
        ``"largest"`` (the ``count`` largest offices, must-keep sites first) or
        ``"optimise"`` (the optimiser chooses ``count`` hubs; 0 = a free number,
        priced by ``optimiser.fixed_hub_tco2e``).
    count : int
        Number of hubs for ``largest``/``optimise``.
    sites : tuple of str
        Hub site ids for ``explicit``.
    assignment : str
        ``"nearest"``: each staff group to its nearest hub; ``"offices_whole"``:
        each office moves as a whole.
    office_to_hub : tuple of (str, str)
        Optional explicit office → hub moves (written by ``optimise --save`` so that a
        saved scenario reproduces the optimiser's assignment exactly).
    group_to_hub : tuple of (str, str)
        Optional staff groups that do not follow their office's move, each keyed
        ``"office id|mode|lat,lon"`` (:func:`footprint.hubs.model.staff_group_keys`) →
        hub id. Written by ``optimise --save`` and the app for plans made by staff
        group, so the saved scenario reproduces the split of every office exactly.
    respect_capacity : bool
        For ``explicit`` and ``largest``: staff go to the nearest hub *with room*, so
        no hub needs more desks than its ``max_desks`` (default). ``false``: the
        nearest hub whatever its size (over-capacity hubs are flagged).
    """

    selection: str = "current"
    count: int = 0
    sites: tuple[str, ...] = ()
    assignment: str = "nearest"
    office_to_hub: tuple[tuple[str, str], ...] = ()
    group_to_hub: tuple[tuple[str, str], ...] = ()
    respect_capacity: bool = True

    def validate(self, where: str) -> list[Problem]:
        problems = []
        if self.selection not in HUB_SELECTIONS:
            problems.append(Problem(f"must be one of {', '.join(HUB_SELECTIONS)}", where, None, "hubs.selection"))
        if self.assignment not in ASSIGNMENTS:
            problems.append(Problem(f"must be one of {', '.join(ASSIGNMENTS)}", where, None, "hubs.assignment"))
        if self.selection == "largest" and not (1 <= self.count <= 100_000):
            problems.append(Problem("selection 'largest' needs count ≥ 1 hubs", where, None, "hubs.count"))
        if self.selection == "optimise" and not (0 <= self.count <= 100_000):
            problems.append(Problem("selection 'optimise' needs count ≥ 1 hubs, or 0 for a free number of hubs "
                                    "(with optimiser.fixed_hub_tco2e > 0)", where, None, "hubs.count"))
        if self.selection == "explicit" and not self.sites:
            problems.append(Problem("selection 'explicit' needs a non-empty list of site ids", where, None, "hubs.sites"))
        return problems


@dataclass(frozen=True)
class OptimiserSettings:
    """How the optimiser runs (used when ``hubs.selection = "optimise"``).

    Attributes
    ----------
    method : str
        ``"auto"`` (heuristic, then exact within the time limit), ``"exact"`` or ``"heuristic"``.
    time_limit_s : float
        Wall-clock limit. [s]
    mip_gap : float
        Relative optimality gap at which the exact solver stops. [fraction]
    commute_weight_kg_per_km : float
        Weight λ on commute burden: kg CO2e-equivalent charged per person-km of
        one-way commute per office day, on top of real emissions (0 = emissions only).
    respect_capacity : bool
        Hubs may not exceed their desk capacity (``max_desks``).
    random_state : int
        Seed of the heuristic's random starts.
    fixed_hub_tco2e : float
        An extra price per open hub in the optimiser's objective only (not in the
        footprint), on top of the emissions of its fixed floor area: e.g. to favour
        fewer sites when the number of hubs is free (``hubs.count = 0``). [t CO2e/yr]
    """

    method: str = "auto"
    time_limit_s: float = 30.0
    mip_gap: float = 0.005
    commute_weight_kg_per_km: float = 0.0
    respect_capacity: bool = True
    random_state: int = 0
    fixed_hub_tco2e: float = 0.0

    def validate(self, where: str) -> list[Problem]:
        problems = []
        if self.method not in OPTIMISER_METHODS:
            problems.append(Problem(f"must be one of {', '.join(OPTIMISER_METHODS)}", where, None, "optimiser.method"))
        if not (0 < self.time_limit_s <= 86_400):
            problems.append(Problem("must be from 0 (exclusive) to 86400 [s]", where, None, "optimiser.time_limit_s"))
        if not (0 <= self.mip_gap < 1):
            problems.append(Problem("must be from 0 to 1 (exclusive) [fraction]", where, None, "optimiser.mip_gap"))
        if not (0 <= self.fixed_hub_tco2e <= 1e6):
            problems.append(Problem("must be from 0 to 1,000,000 [t CO2e/yr]", where, None, "optimiser.fixed_hub_tco2e"))
        if not (0 <= self.random_state <= 2**32 - 1):
            problems.append(Problem(f"must be a whole number from 0 to {2**32 - 1:,}, got {self.random_state}", where,
                                    None, "optimiser.random_state"))
        if not (0 <= self.commute_weight_kg_per_km <= 100):
            problems.append(Problem("must be from 0 to 100 [kg CO2e per person-km]", where, None,
                                    "optimiser.commute_weight_kg_per_km"))
        return problems


@dataclass(frozen=True)
class Scenario:
    """A scenario: an organisation, a policy, a choice of hubs, an optimiser setting.

    ``base_dir`` is the folder relative paths are resolved against (the scenario
    file's folder); it is not written to the file.
    """

    name: str
    description: str = ""
    baseline: str = ""
    organisation: OrganisationRef = OrganisationRef()
    policy: Policy = Policy()
    hubs: HubChoice = HubChoice()
    optimiser: OptimiserSettings = OptimiserSettings()
    schema_version: int = SCHEMA_VERSION
    base_dir: Path | None = field(default=None, compare=False, repr=False)
    source: str = field(default="", compare=False, repr=False)

    def resolve(self, relative: str) -> Path:
        """A path named in the scenario, resolved against its folder."""
        p = Path(relative)
        return p if p.is_absolute() or self.base_dir is None else self.base_dir / p

    @property
    def where(self) -> str:
        """The scenario file for messages (or the scenario's name when it has none)."""
        return self.source or f"scenario '{self.name}'"


#: The keys each table of a scenario file may hold (for error messages).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "organisation": tuple(f.name for f in fields(OrganisationRef)),
    "hubs": tuple(f.name for f in fields(HubChoice)),
    "optimiser": tuple(f.name for f in fields(OptimiserSettings)),
    "policy": tuple(f.name for f in fields(Policy)),
}
TOP_KEYS = ("schema_version", "name", "description", "baseline", *TABLE_KEYS)


def field_types(cls: type) -> dict[str, Any]:
    return {f.name: f.type for f in fields(cls)}
