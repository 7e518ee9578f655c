"""Collaboration: cross-site meetings between offices, as person-trips a year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.errors import InputError, Problem
from footprint.inputs.columns import frozen


@dataclass(frozen=True, eq=False)
class Collaboration:
    """Cross-site meetings between today's offices.

    Attributes
    ----------
    person_trips : ndarray, shape (m, m)
        ``[a, b]``: people from office ``a`` meeting colleagues at office ``b`` per
        year, counting meetings held in person *and* by video (the policy's video
        share splits them). Diagonal is zero. [person-trips/yr]
    meeting_hours : ndarray, shape (m, m)
        Mean duration of those meetings. [h]
    participants_per_call : float
        People on a video call that replaces one person-trip (the traveller and
        the colleague they would have met). [people]
    description : str
        How the matrix was made (for the method section of reports).
    travellers_per_meeting : ndarray, shape (m, m), optional
        People who travel together from ``a`` to ``b`` for one meeting (they
        share a car when the trip is by car); ones when not given. [people]
    """

    person_trips: np.ndarray
    meeting_hours: np.ndarray
    participants_per_call: float = 2.0
    description: str = ""
    travellers_per_meeting: np.ndarray | None = None

    def __post_init__(self) -> None:
        t = np.asarray(self.person_trips, dtype=float)
        h = np.asarray(self.meeting_hours, dtype=float)
        problems = []
        if t.ndim != 2 or t.shape[0] != t.shape[1]:
            problems.append(Problem("must be a square site × site matrix", "collaboration", None, "person_trips"))
        elif h.shape != t.shape:
            problems.append(Problem("must have the same shape as person_trips", "collaboration", None, "meeting_hours"))
        elif not (np.all(np.isfinite(t)) and np.all(t >= 0)):
            problems.append(Problem("must be finite and ≥ 0 [person-trips/yr]", "collaboration", None, "person_trips"))
        elif not (np.all(np.isfinite(h)) and np.all(h >= 0)):
            problems.append(Problem("must be finite and ≥ 0 [h]", "collaboration", None, "meeting_hours"))
        if not (0 < self.participants_per_call <= 100):
            problems.append(
                Problem("must be from 1 to 100 people", "collaboration", None, "participants_per_call")
            )
        if problems:
            raise InputError(problems, "invalid collaboration")
        t = t.copy()
        np.fill_diagonal(t, 0.0)
        object.__setattr__(self, "person_trips", frozen(t))
        object.__setattr__(self, "meeting_hours", frozen(h))
        k = np.ones_like(t) if self.travellers_per_meeting is None else np.asarray(self.travellers_per_meeting, float)
        object.__setattr__(self, "travellers_per_meeting", frozen(np.maximum(np.where(np.isfinite(k), k, 1.0), 1.0)))

    @classmethod
    def gravity(
        cls,
        headcount: np.ndarray,
        site_distance_km: np.ndarray,
        *,
        trips_per_person_per_year: float = 4.0,
        decay_km: float = 150.0,
        meeting_hours: float = 3.0,
        participants_per_call: float = 2.0,
    ) -> Collaboration:
        """Default gravity model.

        Each employee at office ``a`` has ``trips_per_person_per_year`` cross-site
        meetings a year, spread over the other offices ``b`` in proportion to
        ``headcount[b] · exp(−d_ab / decay_km)``.

        Parameters
        ----------
        headcount : ndarray, shape (m,)
            Staff per office. [people]
        site_distance_km : ndarray, shape (m, m)
            Great-circle distance between offices. [km]
        trips_per_person_per_year : float
            Cross-site meetings per employee. [1/yr]
        decay_km : float
            Distance scale of the decay. [km]
        meeting_hours : float
            Length of a meeting. [h]
        """
        hc = np.asarray(headcount, dtype=float)
        w = hc[None, :] * np.exp(-np.asarray(site_distance_km) / decay_km)
        np.fill_diagonal(w, 0.0)
        row = w.sum(axis=1, keepdims=True)
        share = np.divide(w, row, out=np.zeros_like(w), where=row > 0)
        trips = trips_per_person_per_year * hc[:, None] * share
        desc = (
            f"gravity model: {trips_per_person_per_year:g} cross-site meetings per employee per year, "
            f"spread over other offices by headcount × exp(−distance / {decay_km:g} km), "
            f"{meeting_hours:g} h each"
        )
        return cls(trips, np.full_like(trips, meeting_hours), participants_per_call, desc)

    @classmethod
    def from_table(
        cls,
        site_ids: tuple[str, ...],
        rows: list[dict[str, object]],
        *,
        source: str = "collaboration",
        participants_per_call: float = 2.0,
    ) -> Collaboration:
        """From rows ``site_a, site_b, meetings_per_year, attendees, hours``.

        ``attendees`` is the number of people who travel from ``site_a`` to
        ``site_b`` for each meeting.
        """
        index = {s: i for i, s in enumerate(site_ids)}
        m = len(site_ids)
        trips = np.zeros((m, m))
        meetings_sum = np.zeros((m, m))
        hours_sum = np.zeros((m, m))
        problems = []
        for r, row in enumerate(rows, start=1):
            try:
                a, b = index[str(row["site_a"])], index[str(row["site_b"])]
                meetings, people, hours = (float(row[k]) for k in ("meetings_per_year", "attendees", "hours"))
            except KeyError as e:
                problems.append(Problem(f"unknown site or missing column {e}", source, r))
                continue
            except (TypeError, ValueError):
                problems.append(Problem("meetings_per_year, attendees and hours must be numbers", source, r))
                continue
            if min(meetings, people, hours) < 0 or not np.isfinite([meetings, people, hours]).all():
                problems.append(Problem("values must be finite and ≥ 0", source, r))
                continue
            trips[a, b] += meetings * people
            meetings_sum[a, b] += meetings
            hours_sum[a, b] += meetings * people * hours
        if problems:
            raise InputError(problems, f"{len(problems)} problem(s) in {source}")
        mean_hours = np.divide(hours_sum, trips, out=np.zeros_like(trips), where=trips > 0)
        travellers = np.divide(trips, meetings_sum, out=np.ones_like(trips), where=meetings_sum > 0)
        return cls(trips, mean_hours, participants_per_call, f"table of {len(rows)} meeting rows ({source})",
                   travellers)
