"""Reading the user's files safely, and writing Footprint's files atomically.

:func:`read_bounded` reads a file only if it is a regular file no larger than a
limit: a device (``/dev/zero``), a named pipe, a socket or a folder is refused
at once, without blocking and without reading it. Every file a scenario names
(offices, staff, collaboration, a factor set, a baseline) goes through it.

:func:`write_atomic` writes to a temporary file in the target's folder,
flushes and syncs it, then renames it over the target (``os.replace``), so
the target is either the old file or the new one, never half-written. A full
disk, a file-size limit or a permission problem becomes a
:class:`WriteError` naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from footprint.errors import FootprintError, InputError, Problem

MB = 1_000_000  #: a megabyte as the messages and the docs count it [bytes]


class WriteError(FootprintError):
    """A file Footprint writes could not be written; the old file (if any) is intact."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path}: {reason}")

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def _why(e: OSError) -> str:
    code = e.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (
            "the disk is full (or your quota is used up); free some space and try again"
        )
    if code == errno.EFBIG:
        return "the file is larger than this system allows (disk full or file-size limit); free space and try again"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied; choose a folder you can write to"
    if code == errno.EROFS:
        return "the file system is read-only; choose another folder"
    if code == errno.ENOENT:
        return "the folder does not exist; create it first or choose another path"
    if code in (errno.EISDIR, errno.ENOTDIR):
        return "the path is a folder (or goes through a file); give a file name"
    return f"{e.strerror or e.__class__.__name__}"


def write_atomic(
    path: str | Path, data: bytes | str, *, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, fsync, rename).

    Parameters
    ----------
    path : str or Path
        The file to write (replaced if it exists; its permissions are kept).
    data : bytes or str
        The content; text is encoded with ``encoding``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WriteError
        The disk is full, the file is too big for the system's limit, permission
        is denied, or the folder is missing. ``path`` is unchanged and no
        temporary file is left behind.
    """
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    if path.is_dir():
        raise WriteError(path, "the path is a folder; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    except OSError:
        mode = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise WriteError(path, _why(e)) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                view = memoryview(payload)
                while view:
                    written = fh.write(view)
                    view = view[written:]
                fh.flush()
                os.fsync(fh.fileno())
            if mode is None:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except OSError as e:
            raise WriteError(path, _why(e)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable (best effort: not every file system allows it)
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return path


def _refuse(source: str, message: str, field: str | None) -> InputError:
    return InputError([Problem(message, source, None, field)], f"cannot read {source}")


def read_bounded(
    path: str | Path,
    max_bytes: int,
    *,
    source: str | None = None,
    field: str | None = None,
    what: str = "file",
    hint: str = "",
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    The file is opened without blocking and checked on the open handle (no race
    between the check and the read), then read to at most ``max_bytes + 1``
    bytes, so a file that grows while read is refused too.

    Parameters
    ----------
    path : str or Path
    max_bytes : int
        The largest file read. [bytes]
    source : str or None
        Where the path was named (a scenario file), for messages; default the path.
    field : str or None
        The key or option that named it (e.g. ``"organisation.sites"``).
    what : str
        What the file is, for messages (``"offices file"``).
    hint : str
        Appended to the too-big message (how to make the file smaller).

    Raises
    ------
    footprint.errors.InputError
        Missing, not a regular file (folder, device, pipe, socket), unreadable,
        or larger than ``max_bytes``; the message names the path.
    """
    path = Path(path)
    src = source or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _refuse(
            src,
            f"{what} not found: {path}; check the path (relative paths are relative to the "
            "scenario file)",
            field,
        ) from None
    except IsADirectoryError:
        raise _refuse(src, f"{path} is a folder, not a {what}", field) from None
    except PermissionError:
        raise _refuse(src, f"permission denied reading {path}", field) from None
    except OSError as e:
        raise _refuse(
            src, f"cannot open {path} ({e.strerror or e.__class__.__name__})", field
        ) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _refuse(src, f"{path} is a folder, not a {what}", field)
        if not stat.S_ISREG(st.st_mode):
            kind = (
                "a named pipe"
                if stat.S_ISFIFO(st.st_mode)
                else "a device"
                if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket"
                if stat.S_ISSOCK(st.st_mode)
                else "not a regular file"
            )
            raise _refuse(
                src,
                f"{path} is {kind}, not a regular file; only ordinary files are read",
                field,
            )
        if st.st_size > max_bytes:
            raise _refuse(
                src, too_big_message(st.st_size, max_bytes, what) + hint, field
            )
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise _refuse(src, too_big_message(total, max_bytes, what) + hint, field)
        return b"".join(chunks)
    except OSError as e:
        raise _refuse(
            src, f"cannot read {path} ({e.strerror or e.__class__.__name__})", field
        ) from None
    finally:
        os.close(fd)


def too_big_message(size: int, max_bytes: int, what: str = "file") -> str:
    """The one wording of a size limit (MB = 1,000,000 bytes, as in the docs)."""
    return f"the {what} is {size / MB:.1f} MB, above the limit of {max_bytes / MB:g} MB"
