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
import html
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from footprint.errors import InputError, Problem
from footprint.safeio import MB, read_bounded, too_big_message

MAX_BYTES = 50 * MB  #: largest file read [bytes] (50 MB, as docs/data-import.md says)
MAX_ROWS = 1_000_000  #: most data rows read
MAX_XLSX_UNZIPPED = 500 * MB  #: largest uncompressed XLSX content [bytes] (500 MB)
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
    number_style : str
        For a ``;`` file, how its numbers show their decimals: ``"comma"``
        (``52,5`` somewhere: ``1.800`` is 1800), ``"dot"`` (``52.5`` somewhere:
        ``1.800`` is 1.8), or ``"unknown"``/``"mixed"`` (``1.800`` is ambiguous).
    notes : tuple of str
        What was read (which sheet, which header row) when it is not the obvious.
    formula_cells : frozenset of (int, int)
        ``(spreadsheet row, column position in frame)`` of XLSX cells holding a
        formula without a saved value (read as empty).
    """

    source: str
    headers: tuple[str, ...]
    frame: pd.DataFrame
    row_numbers: np.ndarray
    decimal_comma: bool = False
    number_style: str = "dot"
    notes: tuple[str, ...] = ()
    formula_cells: frozenset = frozenset()


def _fail(source: str, message: str, field: str | None = None) -> InputError:
    return InputError([Problem(message, source, None, field)], f"cannot read {source}")


def read_bytes(data: bytes | str | Path, filename: str | None = None) -> tuple[bytes, str]:
    """The file's bytes and its display name (``data`` may be bytes or a path)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data), filename or "upload"
    path = Path(data)
    name = filename or path.name
    return read_bounded(path, MAX_BYTES, source=name, what="file", hint=_SMALLER), name


_SMALLER = "; split it, or aggregate staff to one row per home postcode district, office and mode with a 'count' column"


def _too_big(size: int) -> str:
    return too_big_message(size, MAX_BYTES) + _SMALLER


def read_table(data: bytes | str | Path, filename: str | None = None, *, fields: tuple | None = None,
               sheet: str | None = None, mapping: Mapping[str, str] | None = None,
               header_row: int | None = None) -> RawTable:
    """Read a CSV/TSV/XLSX file into a :class:`RawTable` (all cells as text).

    Parameters
    ----------
    data, filename
        The file's bytes or path, and the name shown in messages.
    fields : tuple of FieldSpec or None
        The columns expected: the header row is the one (among the first
        :data:`HEADER_SEARCH_ROWS` non-empty rows) matching most of them, and in
        a workbook the sheet holding it, so a cover sheet or a title row above
        the header is skipped (and the notes say which sheet and row were used).
    sheet : str or None
        Read this sheet of a workbook (by name) instead of finding it.
    mapping : dict or None
        The user's header → field mapping (counts as a match when finding the header).
    header_row : int or None
        The header's row number in the file or sheet (1-based, as a spreadsheet
        shows it) instead of finding it; in a workbook without ``sheet``, the
        sheet whose row ``header_row`` matches ``fields`` best is read. A row
        that is beyond the end, empty, or holds none of the required columns of
        ``fields`` is a problem (naming the row, and where the header seems to be).

    Raises
    ------
    footprint.errors.InputError
        The file is empty, too big, or not a readable CSV/XLSX file, or
        ``header_row`` does not point at a header.
    """
    raw, source = read_bytes(data, filename)
    if len(raw) > MAX_BYTES:
        raise _fail(source, _too_big(len(raw)))
    if not raw.strip():
        raise _fail(source, "the file is empty; it needs a header row and at least one data row "
                    "(download the template for an example)")
    ext = Path(source).suffix.lower()
    notes: list[str] = []
    formulas: frozenset = frozenset()
    if ext in (".xlsx", ".xlsm"):
        sheets = _read_xlsx(raw, source, sheet)
        best = None
        for name, frame in sheets.items():
            if header_row is not None:
                pos, score = header_row - 1, _row_score(frame, header_row - 1, fields, mapping)
            else:
                pos, score = _header_row(frame, fields, mapping)
            if pos is not None and (best is None or score > best[0]):
                best = (score, name, frame, pos)
        if best is None:
            raise _fail(source, "the workbook's sheets are empty; it needs a header row and at least one data row")
        if header_row is not None and len(sheets) > 1 and (best is None or best[0] < 10):
            # no sheet has a header at that row: blame the sheet the automatic search would read
            auto = max(((_header_row(f, fields, mapping)[1], n) for n, f in sheets.items()), key=lambda t: t[0])
            best = (auto[0], auto[1], sheets[auto[1]], header_row - 1)
        _, name, frame, header_pos = best
        if header_row is not None:
            _check_header_row(frame, header_row, fields, mapping, source, f" of sheet '{name}'")
            notes.append(f"read sheet '{name}' with the header on row {header_row}, as given")
        elif len(sheets) > 1 or header_pos > _first_nonempty(frame):
            notes.append(f"read sheet '{name}' (header on row {header_pos + 1})"
                         + (f" of sheets {', '.join(repr(n) for n in sheets)}" if len(sheets) > 1 else ""))
        formulas = _formula_cells(raw, name)
        decimal_comma = False
    elif ext in (".csv", ".txt", ".tsv", ""):
        # given the header row, the rows above it are skipped unparsed: a one-cell title row
        # ("Acme offices", without trailing commas) does not set the number of columns
        frame, decimal_comma = _read_csv(raw, source, skip=(header_row or 1) - 1)
        if header_row is not None:
            _check_header_row(frame, header_row, fields, mapping, source, "")
            header_pos = header_row - 1
            notes.append(f"header on row {header_row}, as given")
        else:
            header_pos, _ = _header_row(frame, fields, mapping)
        if header_row is None and header_pos is not None and header_pos > _first_nonempty(frame):
            notes.append(f"header on row {header_pos + 1} (the rows above it were skipped)")
    elif ext == ".xls":
        raise _fail(source, "old Excel .xls files are not read; open it in Excel and save as .xlsx or CSV")
    else:
        raise _fail(source, f"'{ext}' files are not read; use CSV (.csv) or Excel (.xlsx)")
    return _tidy(frame, source, decimal_comma, header_pos, tuple(notes), formulas)


HEADER_SEARCH_ROWS = 30  #: non-empty rows searched for the header row


def _first_nonempty(frame: pd.DataFrame) -> int:
    head = frame.iloc[:HEADER_SEARCH_ROWS * 100]  # the header search looks no further
    filled = (head.fillna("").astype(str).apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy()
    return int(np.flatnonzero(filled)[0]) if filled.any() else 0


def _header_row(frame: pd.DataFrame, fields: tuple | None, mapping: Mapping[str, str] | None
                ) -> tuple[int | None, float]:
    """Position of the header row in ``frame`` and how well it matches ``fields`` (None: empty frame)."""
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        return None, -1.0
    head = frame.iloc[: HEADER_SEARCH_ROWS * 100].fillna("").astype(str).apply(lambda c: c.str.strip())
    filled = (head != "").to_numpy()
    rows = np.flatnonzero(filled.any(axis=1))[:HEADER_SEARCH_ROWS]
    if rows.size == 0:
        return None, -1.0
    counts = filled[rows].sum(axis=1)
    # a title row (one cell, merged or not) is not the header when wider rows follow
    plain = int(rows[np.flatnonzero(counts >= 2)[0]]) if counts.max() >= 2 else int(rows[0])
    if not fields:
        return plain, 0.0

    best, best_score = plain, -1.0
    for r in rows:
        score = _cells_score(tuple(str(h) for h in head.iloc[r] if str(h)), fields, mapping)
        if score > best_score:
            best, best_score = int(r), score
    if best_score <= 0:
        return plain, 0.0
    return best, best_score


def _cells_score(cells: tuple[str, ...], fields: tuple, mapping: Mapping[str, str] | None) -> float:
    """How well header cells match ``fields``: 10 per required field matched, 1 per field."""
    from footprint.imports.fields import match_columns

    m = match_columns(cells, fields, "", mapping, mapping_optional=True)
    required = sum(1 for f in fields if f.required and f.name in m.columns)
    return 10.0 * required + len(m.columns)


def _row_cells(frame: pd.DataFrame, pos: int) -> tuple[str, ...]:
    """The non-empty cells of row ``pos`` (0-based) of ``frame``, stripped."""
    return tuple(c for c in (str(v).strip() for v in frame.iloc[pos].fillna("")) if c)


def _row_score(frame: pd.DataFrame, pos: int, fields: tuple | None, mapping: Mapping[str, str] | None) -> float:
    """:func:`_cells_score` of row ``pos`` of ``frame`` (-1 when beyond its end or empty)."""
    if pos >= frame.shape[0] or frame.shape[1] == 0:
        return -1.0
    cells = _row_cells(frame, pos)
    if not cells:
        return -1.0
    return _cells_score(cells, fields, mapping) if fields else 0.0


def _check_header_row(frame: pd.DataFrame, header_row: int, fields: tuple | None,
                      mapping: Mapping[str, str] | None, source: str, where: str) -> None:
    """Refuse a given header row that is beyond the end, empty, or holds none of the required columns."""
    pos = header_row - 1

    def fail(message: str) -> InputError:
        auto, score = _header_row(frame, fields, mapping)
        hint = (f"; the header seems to be on row {auto + 1}" if auto is not None and auto != pos and score > 0
                else "")
        return InputError([Problem(message + hint + " (or leave the header row out to find it automatically)",
                                   source, header_row, "header_row")], f"cannot read {source}")

    filled = (frame.fillna("").astype(str).apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy()
    last = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    if header_row > last:
        raise fail(f"the header row is given as row {header_row}, but the file{where} ends on row {last:,}")
    cells = _row_cells(frame, pos)
    if not cells:
        raise fail(f"row {header_row}{where}, given as the header row, is empty")
    if fields and not any(f.required for f in fields if _cells_score(cells, (f,), mapping) >= 10):
        shown = ", ".join(f"'{c[:60]}{'…' if len(c) > 60 else ''}'" for c in cells[:4]) + (", …" if len(cells) > 4 else "")
        need = ", ".join(f.name for f in fields if f.required)
        raise fail(f"row {header_row}{where}, given as the header row, holds {shown}: none of the columns "
                   f"Footprint needs ({need})")


_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)


def _formula_cells(raw: bytes, sheet_name: str) -> frozenset:
    """``(sheet row, column index)`` of formula cells without a saved value in ``sheet_name``."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            rid = None
            for m in re.finditer(r"<(?:\w+:)?sheet\s[^>]*>", book):
                tag = m.group(0)
                name = re.search(r'\bname="([^"]*)"', tag)
                if name and html.unescape(name.group(1)) == sheet_name:
                    found = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', tag)
                    rid = found and (found.group(1) or found.group(2))
            target = None
            for m in re.finditer(r"<(?:\w+:)?Relationship\s[^>]*>", rels):
                tag = m.group(0)
                if rid and re.search(rf'\bId="{re.escape(rid)}"', tag):
                    t = re.search(r'\bTarget="([^"]*)"', tag)
                    target = t and t.group(1)
            if not target:
                return frozenset()
            target = target.lstrip("/")
            path = target if target.startswith("xl/") else f"xl/{target}"
            xml = z.read(path)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return frozenset()
    if b"<f" not in xml and b":f" not in xml:
        return frozenset()
    out = set()
    for m in _CELL.finditer(xml):
        inner = m.group(3) or b""
        if re.search(rb"<(?:\w+:)?f[\s>/]", inner) and not re.search(rb"<(?:\w+:)?v>[^<]+</", inner):
            out.add((int(m.group(2)), _column_index(m.group(1).decode())))
    return frozenset(out)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _read_xlsx(raw: bytes, source: str, sheet: str | None = None) -> dict[str, pd.DataFrame]:
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
        raise _fail(source, f"this workbook holds {unzipped / MB:.0f} MB of data once unpacked, above the "
                    f"limit of {MAX_XLSX_UNZIPPED / MB:g} MB; export the sheet as CSV")
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frames = pd.read_excel(io.BytesIO(raw), sheet_name=None, header=None, dtype=str, engine="openpyxl",
                                   keep_default_na=False, nrows=MAX_ROWS + 2)
    except Exception as e:  # noqa: BLE001 — openpyxl raises many kinds on broken files
        raise _fail(source, f"this .xlsx file cannot be read ({e.__class__.__name__}); save it again from "
                    "Excel or export it as CSV") from None
    if sheet is not None:
        if sheet not in frames:
            raise _fail(source, f"the workbook has no sheet '{sheet}'; its sheets are: "
                        f"{', '.join(repr(n) for n in frames)}", "sheet")
        return {sheet: frames[sheet]}
    if not frames:
        raise _fail(source, "the workbook has no sheets")
    return frames


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


def _read_csv(raw: bytes, source: str, skip: int = 0) -> tuple[pd.DataFrame, bool]:
    """The cells of a CSV file; with ``skip``, its first ``skip`` lines are left out unparsed (as empty rows)."""
    text = _decode(raw, source)
    lines = text.split("\n", skip)
    if skip and len(lines) <= skip:  # the header row is beyond the end: the whole file, for the message
        try:
            return _read_csv(raw, source)
        except InputError:
            return pd.DataFrame({0: [line.strip() for line in text.split("\n")]}, dtype=object), False
    if skip:
        text = lines[-1]
    sep = _sniff(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c", nrows=MAX_ROWS + 2, quoting=csv.QUOTE_MINIMAL,
                            on_bad_lines="error")
        if skip:
            frame = pd.concat([pd.DataFrame(np.full((skip, frame.shape[1]), "", dtype=object)), frame],
                              ignore_index=True)
    except pd.errors.ParserError as e:
        quote = re.search(r"EOF inside string starting at row (\d+)", str(e))
        if quote:  # pandas counts rows from 0 (the header): the spreadsheet row is one more
            raise InputError([Problem("a double quote (\") opens a value here but is never closed, so the rest of "
                                      "the file would be read as one cell; close the quote or remove it",
                                      source, int(quote.group(1)) + 1 + skip, None)],
                             f"cannot read {source}") from None
        m = re.search(r"line (\d+), saw (\d+)", str(e))
        m2 = re.search(r"Expected (\d+) fields", str(e))
        if m and m2:
            row = int(m.group(1)) + skip
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


def _tidy(frame: pd.DataFrame, source: str, decimal_comma: bool, header_pos: int | None = None,
          notes: tuple[str, ...] = (), formulas: frozenset = frozenset()) -> RawTable:
    """Header at ``header_pos`` (default: the first non-empty row); empty rows and columns dropped; row numbers kept."""
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise _fail(source, "the file has no rows; it needs a header row and at least one data row")
    frame = frame.fillna("").astype(str)
    stripped = frame.apply(lambda c: c.str.strip())
    nonempty = (stripped != "").any(axis=1).to_numpy()
    if not nonempty.any():
        raise _fail(source, "the file is empty; it needs a header row and at least one data row")
    if header_pos is None:
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
    style = _number_style(body) if decimal_comma else "dot"
    col_pos = {c: k for k, c in enumerate(keep_cols)}
    cells = frozenset((r, col_pos[c]) for r, c in formulas if c in col_pos and r > header_pos + 1)
    return RawTable(source, tuple(names), body, rows + 1, decimal_comma, style, notes, cells)


def _number_style(body: pd.DataFrame) -> str:
    """How a ``;`` file writes decimals: ``"comma"``, ``"dot"``, ``"mixed"`` or ``"unknown"``."""
    comma = dot = False
    for c in body.columns:
        col = body[c]
        if not comma:
            comma = bool(col.str.fullmatch(r"-?\d*,\d+").any())
        if not dot:
            dot = bool((col.str.fullmatch(r"-?\d*\.\d+") & ~col.str.fullmatch(r"-?\d{1,3}(\.\d{3})+")).any())
        if comma and dot:
            return "mixed"
    return "comma" if comma else "dot" if dot else "unknown"


def _letters(i: int) -> str:
    """Spreadsheet column letters of 0-based column ``i`` (0 → A, 26 → AA)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out
