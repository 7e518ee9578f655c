"""Command-line interface: ``python -m footprint COMMAND``.

Commands live in small modules of this package and register on :data:`main`.
Exit codes: 0 success, 1 unexpected internal error, 2 bad input (file, row or
key named on stderr), 3 infeasible scenario, 130 cancelled.
"""

from footprint.cli import run as _run  # noqa: F401  (registers run, compare)
from footprint.cli.common import main

__all__ = ["main"]
