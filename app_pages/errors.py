"""Friendly errors: exceptions become ``st.error`` messages, never tracebacks.

Use :func:`guard` as a context manager (or :func:`guarded` as a decorator)
around anything that calls ``footprint``:

* :class:`~footprint.errors.InputError` (bad files, bad scenario values) shows
  every :class:`~footprint.errors.Problem` as a table of file, row, field, message;
* :class:`~footprint.errors.InfeasibleScenario` shows its reasons;
* anything else shows a short apology and an expander with the exception's
  class and message (no traceback).

Streamlit's own control-flow exceptions (rerun, stop, page switch) derive from
``BaseException`` and pass through untouched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from footprint.errors import FootprintError, InfeasibleScenario, InputError, Problem

F = TypeVar("F", bound=Callable[..., Any])


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table: file, row, field, message."""
    rows = [
        {"file": p.source, "row": p.row if p.row is not None else pd.NA, "field": p.field or "", "message": p.message}
        for p in problems
    ]
    return pd.DataFrame(rows, columns=["file", "row", "field", "message"]).astype({"row": "Int64"})


def show_problems(problems: Iterable[Problem], heading: str) -> None:
    """An error box and the row-level table of problems."""
    problems = tuple(problems)
    n = len(problems)
    st.error(f"{heading} — {n} problem{'s' if n != 1 else ''} found. Nothing was changed.", icon=":material/error:")
    show_problem_table(problems)


def show_problem_table(problems: Iterable[Problem]) -> None:
    """The problems as a table: a blank row for file-level problems, the whole message readable."""
    shown = problems_frame(problems)
    shown["row"] = shown["row"].astype("string").fillna("")
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"row": st.column_config.TextColumn("row", width="small"),
                                "message": st.column_config.TextColumn("message", width="large")})


def show_exception(exc: BaseException, what: str = "This step") -> None:
    """Show ``exc`` as a friendly message (see the module docstring)."""
    if isinstance(exc, InputError):
        show_problems(exc.problems, str(exc).split(":\n")[0] or "The input is not valid")
    elif isinstance(exc, InfeasibleScenario):
        st.error("This scenario has no feasible answer:\n\n" + "\n".join(f"- {r}" for r in exc.reasons),
                 icon=":material/block:")
    elif isinstance(exc, (ModuleNotFoundError, ImportError)) and "footprint" in str(exc):
        not_available(what)
    elif isinstance(exc, FootprintError):
        st.error(str(exc), icon=":material/error:")
    else:
        st.error(f"Sorry — {what.lower() if what != 'This step' else 'this step'} failed unexpectedly. "
                 "Your scenario is unchanged; try again or change an input.", icon=":material/sentiment_dissatisfied:")
        with st.expander("Details for a bug report"):
            st.code(f"{type(exc).__name__}: {exc}", language=None, wrap_lines=True)


def not_available(what: str) -> None:
    """The friendly message for a part of Footprint that is not installed yet."""
    st.info(f"{what}: not available yet in this version of Footprint.", icon=":material/construction:")


@contextmanager
def guard(what: str = "This step") -> Iterator[None]:
    """Turn exceptions raised in the block into friendly messages."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the whole point: no traceback reaches the user
        show_exception(exc, what)


def guarded(what: str = "This step") -> Callable[[F], F]:
    """Decorator form of :func:`guard` (the function returns None on failure)."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with guard(what):
                return func(*args, **kwargs)
            return None

        return inner  # type: ignore[return-value]

    return wrap
