"""footprint.locate stands alone: importing it loads nothing else of Footprint."""

from __future__ import annotations

import json
import subprocess
import sys

#: Every module of the solver package, so that a stray import anywhere inside it is caught.
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import footprint.locate as locate
for info in pkgutil.walk_packages(locate.__path__, "footprint.locate."):
    importlib.import_module(info.name)
print(json.dumps(sorted(m for m in sys.modules if m == "footprint" or m.startswith("footprint."))))
"""


def test_locate_imports_nothing_else_of_footprint() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    outside = [
        m for m in loaded if m != "footprint" and not m.startswith("footprint.locate")
    ]
    assert outside == []
    # the check saw the package's own modules (it would pass vacuously otherwise)
    assert "footprint.locate.exact.highs_models" in loaded
    assert "footprint.locate.instances.or_library" in loaded


def test_locate_public_face() -> None:
    import footprint.locate as locate

    assert sorted(locate.__all__) == [
        "LocationProblem",
        "LocationResult",
        "solve",
        "warm_up",
    ]


def test_optimise_compatibility_module_reexports_the_solver() -> None:
    import footprint.locate as locate
    import footprint.optimise as optimise

    assert optimise.LocationProblem is locate.LocationProblem
    assert optimise.solve is locate.solve
    assert optimise.LocationResult is locate.LocationResult
