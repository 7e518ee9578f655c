"""Benchmark the solver layer on Beasley's OR-Library location instances.

Examples
--------
python benchmarks/orlib.py --set pmed --instances 1-40 --method exact
python benchmarks/orlib.py --set cap --method heuristic
python benchmarks/orlib.py --set cap --instances capa,capb-6000 --time-limit 60
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from footprint.locate import solve, warm_up  # noqa: E402
from footprint.locate.instances.or_library import (  # noqa: E402
    CAP_LARGE_CAPACITIES,
    read_cap,
    read_optima,
    read_pmed,
)

DATA = ROOT.parent / "shared" / "benchmarks" / "orlib"
#: Optimal values of the cap files solved WITHOUT capacities (Beasley's
#: ``uncapopt``, quoted in the data folder's README).
UNCAPOPT = {
    "cap71": 932615.750, "cap72": 977799.400, "cap73": 1010641.450,
    "cap74": 1034976.975, "cap101": 796648.437, "cap102": 854704.200,
    "cap103": 893782.112, "cap104": 928941.750, "cap131": 793439.562,
    "cap132": 851495.325, "cap133": 893076.712, "cap134": 928941.750,
    "capa": 17156454.478, "capb": 12979071.582, "capc": 11505594.329,
}
CAP_SMALL = [f"cap{g}{k}" for g in (4, 6, 7, 8, 9, 10, 11, 12, 13) for k in (1, 2, 3, 4)]
CAP_SMALL.insert(4, "cap51")


def _expand(spec: str | None, kind: str, uncap: bool = False) -> list[str]:
    if kind == "pmed":
        spec = spec or "1-40"
        out: list[str] = []
        for part in spec.split(","):
            if "-" in part:
                lo, hi = (int(x.removeprefix("pmed")) for x in part.split("-"))
                out += [f"pmed{i}" for i in range(lo, hi + 1)]
            else:
                out.append(f"pmed{int(part.removeprefix('pmed'))}")
        return out
    if spec is None:
        return list(CAP_SMALL)
    out = []
    for part in spec.split(","):
        if part in CAP_LARGE_CAPACITIES and not uncap:
            out += [f"{part}-{int(c)}" for c in CAP_LARGE_CAPACITIES[part]]
        elif part.isdigit():
            out.append(f"cap{part}")
        else:
            out.append(part)
    return out


def _load(name: str, uncap: bool):
    if name.startswith("pmed"):
        return read_pmed(DATA / "pmed" / f"{name}.txt")
    base, _, cap = name.partition("-")
    return read_cap(DATA / "cap" / f"{base}.txt", float(cap) if cap else None,
                    uncapacitated=uncap)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=["pmed", "cap"], required=True)
    ap.add_argument("--instances", help="e.g. 1-40, 1,5,9 or cap41,capa,capb-6000")
    ap.add_argument("--method", choices=["exact", "heuristic", "auto"], default="exact")
    ap.add_argument("--time-limit", type=float, default=300.0, help="per instance [s]")
    ap.add_argument("--mip-gap", type=float, default=1e-6)
    ap.add_argument("--uncapacitated", action="store_true",
                    help="cap files without capacities (uncapopt values)")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"OR-Library data not found at {DATA}")
        return 1
    if args.set == "pmed":
        optima = read_optima(DATA / "pmed" / "pmedopt.txt")
    else:
        optima = read_optima(DATA / "cap" / "capopt.txt")
    if args.uncapacitated:
        optima = UNCAPOPT
    names = _expand(args.instances, args.set, args.uncapacitated)
    # compile (first run) or load (cached) the numba kernels outside the timings
    print(f"warm-up (numba kernels compiled or loaded from cache): {warm_up():.2f} s")
    print(f"{'instance':<12}{'optimum':>16}{'found':>16}{'gap %':>9}{'seconds':>9}"
          f"  status / method")
    n_opt = n_proven = 0
    gaps: list[float] = []
    total = slowest = 0.0
    for name in names:
        problem = _load(name, args.uncapacitated)
        res = solve(problem, args.method, time_limit=args.time_limit, mip_gap=args.mip_gap)
        opt = optima.get(name, math.nan)
        gap = 100.0 * (res.objective - opt) / opt if math.isfinite(opt) else math.nan
        tol = 1e-6 * max(abs(opt), 1.0) + 1e-3  # capopt is printed to 3 decimals
        hit = math.isfinite(opt) and abs(res.objective - opt) <= tol
        n_opt += hit
        n_proven += res.proven_optimal
        if math.isfinite(gap):
            gaps.append(max(gap, 0.0))
        total += res.seconds
        slowest = max(slowest, res.seconds)
        print(f"{name:<12}{opt:>16.3f}{res.objective:>16.3f}{gap:>9.4f}{res.seconds:>9.2f}"
              f"  {res.status} {res.method} bound={res.bound:.3f}"
              + ("" if hit else "  <-- not optimal"),
              flush=True)
    mean = sum(gaps) / len(gaps) if gaps else math.nan
    print(f"SUMMARY set={args.set} method={args.method} instances={len(names)} "
          f"optimal_value={n_opt} proven_optimal={n_proven} mean_gap%={mean:.4f} "
          f"max_gap%={max(gaps, default=math.nan):.4f} total_seconds={total:.1f} "
          f"max_seconds={slowest:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
