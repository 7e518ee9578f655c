"""Reading a CSV or XLSX file into a table of text, whatever its bytes are.

Every failure becomes an :class:`~footprint.errors.InputError` naming the file
and saying how to fix it: an empty file, a file that is not what its extension
says (an ``.xlsx`` that is not a zip, a binary ``.csv``), an unknown extension,
a file above :data:`MAX_BYTES` or :data:`MAX_ROWS`. Encodings UTF-8 (with or
without BOM), UTF-16 (with BOM) and Windows-1252 are read; the delimiter
(``,`` ``;`` tab ``|``) is detected from the header line.

Rows are numbered as the user sees them in a spreadsheet: the header is row 1
and the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from footprint.errors import InputError, Problem

MAX_BYTES = 50 * 1024 * 1024  #: largest file read [bytes]
MAX_ROWS = 1_000_000  #: most data rows read
MAX_XLSX_UNZIPPED = 500 * 1024 * 1024  #: largest uncompressed XLSX content [bytes]
ROW_CONVENTION = "rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2"
SPREADSHEET_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


@dataclass(frozen=True, eq=False)
class RawTable:
    """A file's cells as text.

    Attributes
    ----------
    source : str
        The file name shown in messages.
    headers : tuple of str
        The header cells (``"column C"`` for an empty header cell above data).
    frame : pandas.DataFrame
        Column ``i`` holds the cells below ``headers[i]`` (stripped text, ``""``
        for empty cells); one row per non-empty data row.
    row_numbers : ndarray of int
        Spreadsheet row of each frame row (header = 1).
    decimal_comma : bool
        True for a ``;``-delimited file, where ``52,5`` means 52.5.
    """

    source: str
    headers: tuple[str, ...]
    frame: pd.DataFrame
    row_numbers: np.ndarray
    decimal_comma: bool = False


def _fail(source: str, message: str, field: str | None = None) -> InputError:
    return InputError([Problem(message, source, None, field)], f"cannot read {source}")


def read_bytes(data: bytes | str | Path, filename: str | None = None) -> tuple[bytes, str]:
    """The file's bytes and its display name (``data`` may be bytes or a path)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data), filename or "upload"
    path = Path(data)
    name = filename or path.name
    if not path.exists():
        raise _fail(name, f"file not found: {path}; check the path (relative paths are relative to the "
                    "scenario file)")
    if path.is_dir():
        raise _fail(name, f"{path} is a folder, not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _fail(name, _too_big(size))
    return path.read_bytes(), name


def _too_big(size: int) -> str:
    return (f"the file is {size / 1e6:.1f} MB, above the limit of {MAX_BYTES / 1e6:.0f} MB; split it, or "
            "aggregate staff to one row per home postcode district, office and mode with a 'count' column")


def read_table(data: bytes | str | Path, filename: str | None = None) -> RawTable:
    """Read a CSV/TSV/XLSX file into a :class:`RawTable` (all cells as text).

    Raises
    ------
    footprint.errors.InputError
        The file is empty, too big, or not a readable CSV/XLSX file.
    """
    raw, source = read_bytes(data, filename)
    if len(raw) > MAX_BYTES:
        raise _fail(source, _too_big(len(raw)))
    if not raw.strip():
        raise _fail(source, "the file is empty; it needs a header row and at least one data row "
                    "(download the template for an example)")
    ext = Path(source).suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        frame = _read_xlsx(raw, source)
        decimal_comma = False
    elif ext in (".csv", ".txt", ".tsv", ""):
        frame, decimal_comma = _read_csv(raw, source)
    elif ext == ".xls":
        raise _fail(source, "old Excel .xls files are not read; open it in Excel and save as .xlsx or CSV")
    else:
        raise _fail(source, f"'{ext}' files are not read; use CSV (.csv) or Excel (.xlsx)")
    return _tidy(frame, source, decimal_comma)


def _read_xlsx(raw: bytes, source: str) -> pd.DataFrame:
    if raw[:4] == b"\xd0\xcf\x11\xe0":
        raise _fail(source, "this is an old Excel .xls file (or an encrypted workbook) named .xlsx; open it in "
                    "Excel and save as .xlsx (without a password) or CSV")
    if raw[:2] != b"PK":
        hint = " It looks like a CSV text file: rename it to .csv." if _looks_like_text(raw) else ""
        raise _fail(source, f"this is not an Excel .xlsx file (an .xlsx file is a zip archive).{hint}")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = z.namelist()
            unzipped = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise _fail(source, "this .xlsx file is damaged (not a valid zip archive); save it again from Excel "
                    "or export it as CSV") from None
    if "xl/workbook.xml" not in names:
        raise _fail(source, "this zip archive is not an Excel workbook; save the sheet from Excel as .xlsx "
                    "or export it as CSV")
    if unzipped > MAX_XLSX_UNZIPPED:
        raise _fail(source, f"this workbook holds {unzipped / 1e6:.0f} MB of data, above the limit of "
                    f"{MAX_XLSX_UNZIPPED / 1e6:.0f} MB; export the sheet as CSV")
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=str, engine="openpyxl",
                                  keep_default_na=False, nrows=MAX_ROWS + 2)
    except Exception as e:  # noqa: BLE001 — openpyxl raises many kinds on broken files
        raise _fail(source, f"this .xlsx file cannot be read ({e.__class__.__name__}); save it again from "
                    "Excel or export it as CSV") from None
    return frame


def _looks_like_text(raw: bytes) -> bool:
    head = raw[:4096]
    return b"\x00" not in head and sum(b < 9 or 13 < b < 32 for b in head) == 0


def _decode(raw: bytes, source: str) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(source, "this UTF-16 file cannot be decoded; save it as CSV UTF-8") from None
    if raw[:2] == b"PK":
        raise _fail(source, "this looks like an Excel workbook (.xlsx) named .csv; rename it to .xlsx or "
                    "export it as CSV")
    if raw[:4] == b"\xd0\xcf\x11\xe0":
        raise _fail(source, "this looks like an old Excel .xls file named .csv; export it as CSV")
    head = raw[:65536]
    controls = sum(b < 9 or 13 < b < 32 or b == 127 for b in head)
    if b"\x00" in head or controls > max(2, len(head) // 100):
        raise _fail(source, "this is not a text CSV file (it holds binary data); export the table as CSV "
                    "(comma-separated, UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _sniff(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_csv(raw: bytes, source: str) -> tuple[pd.DataFrame, bool]:
    text = _decode(raw, source)
    sep = _sniff(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c", nrows=MAX_ROWS + 2, quoting=csv.QUOTE_MINIMAL,
                            on_bad_lines="error")
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+), saw (\d+)", str(e))
        m2 = re.search(r"Expected (\d+) fields", str(e))
        if m and m2:
            row = int(m.group(1))
            raise InputError([Problem(f"has {m.group(2)} cells but the header has {m2.group(1)}; a value probably "
                                      f"contains the delimiter '{_sep_name(sep)}': put it in double quotes or "
                                      "remove it", source, row, None)], f"cannot read {source}") from None
        raise _fail(source, f"the file cannot be read as CSV ({_short(e)}); check quotes and delimiters, or "
                    "export it again as CSV UTF-8") from None
    except pd.errors.EmptyDataError:
        raise _fail(source, "the file has no rows; it needs a header row and at least one data row") from None
    except (ValueError, csv.Error, UnicodeError, MemoryError, OverflowError) as e:
        raise _fail(source, f"the file cannot be read as CSV ({_short(e)}); export it again as CSV UTF-8") from None
    return frame, sep == ";"


def _sep_name(sep: str) -> str:
    return {"\t": "tab", ",": ",", ";": ";", "|": "|"}[sep]


def _short(e: Exception) -> str:
    text = " ".join(str(e).split())
    return (text[:120] + "…") if len(text) > 120 else text or e.__class__.__name__


def _tidy(frame: pd.DataFrame, source: str, decimal_comma: bool) -> RawTable:
    """Header from the first non-empty row; empty rows and columns dropped; row numbers kept."""
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise _fail(source, "the file has no rows; it needs a header row and at least one data row")
    frame = frame.fillna("").astype(str)
    stripped = frame.apply(lambda c: c.str.strip())
    nonempty = (stripped != "").any(axis=1).to_numpy()
    if not nonempty.any():
        raise _fail(source, "the file is empty; it needs a header row and at least one data row")
    header_pos = int(np.flatnonzero(nonempty)[0])
    header = [str(h).strip() for h in stripped.iloc[header_pos]]
    keep_cols = [i for i, h in enumerate(header) if h or (stripped.iloc[header_pos + 1:, i] != "").any()]
    body = stripped.iloc[header_pos + 1:, keep_cols]
    rows = np.flatnonzero(nonempty[header_pos + 1:]) + header_pos + 1
    if rows.size > MAX_ROWS:
        raise _fail(source, f"the file has more than {MAX_ROWS:,} data rows; aggregate staff to one row per home "
                    "postcode district, office and commute mode with a 'count' column")
    names = []
    for i in keep_cols:
        h = header[i] or f"column {_letters(i)}"
        names.append(h)
    body = body.iloc[rows - header_pos - 1]
    body.columns = pd.Index(range(len(names)))
    body = body.reset_index(drop=True)
    if body.shape[0] == 0:
        raise _fail(source, "the file has a header row but no data rows")
    return RawTable(source, tuple(names), body, rows + 1, decimal_comma)


def _letters(i: int) -> str:
    """Spreadsheet column letters of 0-based column ``i`` (0 → A, 26 → AA)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out
