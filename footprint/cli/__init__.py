"""Command-line interface: ``python -m footprint COMMAND``.

Commands live in small modules of this package and register on :data:`main`.
Exit codes: 0 success, 1 unexpected internal error, 2 bad input (file, row or
key named on stderr), 3 infeasible scenario, 130 cancelled.
"""

import importlib

from footprint.cli.common import main

for _module in ("run", "optimise", "data", "study"):  # each registers its commands on `main`
    try:
        importlib.import_module(f"footprint.cli.{_module}")
    except ModuleNotFoundError as _e:  # a part of the product not installed in this checkout
        if _e.name != f"footprint.cli.{_module}":
            raise
importlib.import_module("footprint.cli.workspace")  # workspace store (issue 13)

__all__ = ["main"]
