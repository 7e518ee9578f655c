"""The command group and the error handling every command shares."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any

import click

from footprint import __version__
from footprint.errors import FootprintError, InfeasibleScenario, InputError

EXIT_INTERNAL, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_CANCELLED = 1, 2, 3, 130


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="footprint")
@click.option("--debug", is_flag=True, help="Show full tracebacks (for developers).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Footprint: plan office consolidation and its emissions.

    \b
    Examples:
      python -m footprint run scenarios/baseline.toml
      python -m footprint run scenarios/hubs-30.toml --json
      python -m footprint compare scenarios/baseline.toml scenarios/hubs-30.toml
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def fail(message: str, code: int) -> None:
    """Print a one-line error on stderr and exit with ``code``."""
    click.echo(f"footprint: error: {message}", err=True)
    sys.exit(code)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn Footprint's errors into one-line messages and exit codes (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool((click.get_current_context().find_root().obj or {}).get("debug"))
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # usage errors (bad option values): click prints them with the usage line, exit 2
        except InfeasibleScenario as e:
            fail(str(e), EXIT_INFEASIBLE)
        except InputError as e:
            if debug:
                click.echo(str(e), err=True)
            fail(e.first_line, EXIT_INPUT)
        except FootprintError as e:
            fail(str(e), EXIT_INPUT)
        except OSError as e:  # a file the user named cannot be read or written: say which and why
            fail(f"{e.strerror or e.__class__.__name__}: {e.filename or ''}".rstrip(": "), EXIT_INPUT)
        except KeyboardInterrupt:
            fail("cancelled", EXIT_CANCELLED)
        except Exception as e:  # noqa: BLE001 — last resort: never a traceback for users
            if debug:
                traceback.print_exc()
            fail(f"unexpected internal error ({e.__class__.__name__}: {e}); rerun with --debug and report it",
                 EXIT_INTERNAL)

    return wrapper
