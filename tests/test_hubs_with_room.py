"""Staff to the nearest hub with room: hand-checked on the toy, never over capacity."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TOY_SITES, toy_collaboration

from footprint.accounting import account, nearest_plan
from footprint.errors import InfeasibleScenario
from footprint.hubs.costs import desks_per_person
from footprint.hubs.nearest_with_room import nearest_with_room
from footprint.inputs import Organisation, Policy, Sites


def _toy_with_desks(toy_org: Organisation, max_desks: list[int]) -> Organisation:
    sites = Sites.from_columns({**TOY_SITES, "max_desks": max_desks}, source="toy sites")
    return Organisation("toy", sites, toy_org.staff, toy_collaboration())


def test_room_everywhere_is_the_nearest_plan(toy_org: Organisation) -> None:
    policy = Policy()
    open_ab = np.array([True, True, False])
    room = nearest_with_room(toy_org, policy, open_ab)
    near = nearest_plan(toy_org, policy, open_ab)
    np.testing.assert_array_equal(room.assignment, near.assignment)


def test_a_full_hub_sends_the_cheapest_mover_elsewhere(toy_org: Organisation) -> None:
    # nearest: London (A) gets groups 0 and 3 (10 + 1 staff), Cambridge's 5 go to
    # London too (nearer than Reading); Reading (B) gets group 1 (4 staff).
    policy = Policy()
    rate = desks_per_person(policy)
    near = nearest_plan(toy_org, policy, np.array([True, True, False]))
    assert list(near.assignment) == [0, 1, 0, 0]
    # London holds only the 10 + 1 of groups 0 and 3: Cambridge's 5 must go to Reading
    cap_a = int(np.ceil(11 * rate))
    org = _toy_with_desks(toy_org, [cap_a, 40, 20])
    room = nearest_with_room(org, policy, np.array([True, True, False]))
    assert list(room.assignment) == [0, 1, 1, 0]
    fp = account(org, policy, room)
    assert not fp.sites.over_capacity.any()
    assert fp.sites.desks_needed[0] <= cap_a


def test_too_few_desks_says_by_how_many(toy_org: Organisation) -> None:
    policy = Policy()
    org = _toy_with_desks(toy_org, [3, 2, 20])
    with pytest.raises(InfeasibleScenario) as e:
        nearest_with_room(org, policy, np.array([True, True, False]))
    need = 20 * desks_per_person(policy)
    assert f"{need - 5:,.0f} desks short" in e.value.reasons[0]


@pytest.mark.parametrize("seed", range(8))
def test_never_over_capacity_on_the_demo_slice(demo_org: Organisation, seed: int) -> None:
    rng = np.random.default_rng(seed)
    policy = Policy()
    mask = np.zeros(len(demo_org.sites), dtype=bool)
    mask[rng.choice(len(demo_org.sites), 60, replace=False)] = True
    try:
        plan = nearest_with_room(demo_org, policy, mask, keep_offices_whole=bool(seed % 2))
    except InfeasibleScenario:
        need = demo_org.staff.count.sum() * desks_per_person(policy)
        assert demo_org.sites.max_desks[mask].sum() < need or seed % 2
        return
    fp = account(demo_org, policy, plan)
    assert not fp.sites.over_capacity.any()
    assert set(np.unique(plan.assignment)) <= set(np.flatnonzero(mask))
