"""Two sessions: one optimises, the other's Workshop sliders still answer.

The optimiser runs in a worker process (as the Consolidate page starts it), so
the session that moves sliders reruns while the solve is still going; the
latencies themselves are measured in ``benchmarks/two_sessions.py``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from app_slider import open_workshop, policy_pairs, slider_latencies_ms  # noqa: E402

from app_pages import cached, state  # noqa: E402
from footprint.scenario import HubChoice, OptimiserSettings  # noqa: E402


@pytest.mark.slow
def test_sliders_answer_while_another_session_optimises() -> None:
    at = open_workshop()
    s = at.session_state.scenario
    todo = replace(s, name="30 hubs (optimised)", optimiser=OptimiserSettings(time_limit_s=60.0),
                   hubs=HubChoice(selection="optimise", count=30, assignment="nearest"))
    job = cached.start_optimise(state.DEMO, todo, at.session_state.baseline)
    try:
        pairs = policy_pairs(3)
        slider_latencies_ms(at, pairs)  # asserts each rerun shows the new policy
        assert not job.done, "the solve finished before the sliders were moved: nothing was shown"
        metrics = [m.value for m in at.metric]
        assert metrics, "the Workshop shows its headline numbers during the solve"
        assert at.session_state.scenario.policy.video_share == pytest.approx(pairs[-1][1] / 100)
    finally:
        job.kill()
