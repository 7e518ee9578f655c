"""Silence native (C/C++) output at the file-descriptor level.

HiGHS writes some diagnostics straight to the C ``stdout`` even with
``output_flag = False`` (e.g. ``HighsMipSolverData::transformNewInteger...``),
which corrupts machine-readable output such as ``--json``. Python-level
redirection (``contextlib.redirect_stdout``) cannot catch that, so
:func:`quiet_fds` points file descriptor 1 (optionally also 2) at ``/dev/null`` for the
duration of a native call and restores them afterwards, also on exceptions.

The redirection is process-wide (all threads write to the same descriptors),
so keep the ``with`` block around the native call only.

May import the standard library only.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

__all__ = ["quiet_fds"]

_lock = threading.RLock()
_depth = 0
_saved: list[tuple[int, int]] = []


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or detached stream
            pass


@contextlib.contextmanager
def quiet_fds(fds: tuple[int, ...] = (1,)) -> Iterator[None]:
    """Redirect the file descriptors ``fds`` to ``/dev/null`` inside the block.

    Re-entrant (nested blocks redirect once). If a descriptor cannot be
    duplicated (e.g. it is closed), it is left alone.

    Parameters
    ----------
    fds : tuple of int
        Descriptors to silence; default stdout only, so that progress bars
        written to stderr from solver callbacks stay visible.
    """
    global _depth
    with _lock:
        if _depth == 0:
            _flush()
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                devnull = -1
            if devnull >= 0:
                for fd in fds:
                    try:
                        saved = os.dup(fd)
                    except OSError:
                        continue
                    os.dup2(devnull, fd)
                    _saved.append((fd, saved))
                os.close(devnull)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _flush()
                while _saved:
                    fd, saved = _saved.pop()
                    os.dup2(saved, fd)
                    os.close(saved)
