"""The one reader of CSV files, for the datasets in ``data/`` (``helpers.data``) and the region files a user names
(``helpers.region_file``): the file's bytes through ``helpers.user_files`` (a regular file within its kind's size
limit), UTF-8 with or without a byte-order mark, and the ``csv`` module in strict mode, each row with the line it
ends on. Anything that cannot be read raises the caller's error class with one line naming the file and the line.

A spreadsheet's CSV (``spreadsheet_header``) may also be separated by semicolons, as a Dutch Excel saves it, or by
tabs (recognised from the header), and may have blank rows or rows of separators only, which are skipped.
What each cell means (a decimal comma in a number, say) is the caller's to read. Standard library only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import user_files

#: The separators a spreadsheet's CSV may use, and how a message names them.
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
#: What a message about a byte that is not UTF-8 adds for a spreadsheet's CSV.
SPREADSHEET_UTF8 = " (in a spreadsheet: 'CSV UTF-8')"


@dataclass(frozen=True)
class CsvTable:
    """A CSV file as read: its rows, each with the line it ends on, the separator and whether it had a byte-order
    mark."""

    rows: list[tuple[int, list[str]]]
    separator: str
    byte_order_mark: bool


def blank(row: list[str]) -> bool:
    """A blank line, a line of spaces or a row of separators only (what spreadsheets leave below a table)."""
    return not any(cell.strip() for cell in row)


def _separator(text: str, header: tuple[str, ...]) -> str:
    """The separator whose split of the first non-blank line is ``header`` (a comma when none is)."""
    for line in text.splitlines():
        if line.strip().strip("".join(SEPARATORS)).strip():
            for separator in SEPARATORS:
                cells = next(csv.reader([line], delimiter=separator))
                if tuple(c.strip() for c in cells) == tuple(header):
                    return separator
            break
    return ","


def read(
    path: Path,
    error: type[Exception],
    *,
    what: str = "a CSV file",
    kind: str | None = None,
    spreadsheet_header: tuple[str, ...] | None = None,
) -> CsvTable:
    """Read a CSV file; a blank line is the row ``[]``, unless the file is a spreadsheet's.

    ``what`` and ``kind`` say what was expected and which size limit applies (``helpers.user_files``).
    ``spreadsheet_header``: the file is a spreadsheet's CSV with this header: separated by commas, semicolons or tabs
    (whichever splits its first line into the header), blank rows skipped.
    Raises ``error`` (one line naming the file, and the line where there is one): not found, not a regular file or
    too large, a byte that is not UTF-8 (shown), or malformed CSV.
    """
    raw = user_files.read_bytes(path, what, kind=kind, error=error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = SPREADSHEET_UTF8 if spreadsheet_header else ""
        raise error(
            f"{path}, line {line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8{hint}"
        ) from None
    separator = _separator(text, spreadsheet_header) if spreadsheet_header else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if not (spreadsheet_header and blank(row)):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise error(f"{path}, line {reader.line_num}: malformed CSV ({exc})") from None
    return CsvTable(rows, separator, raw.startswith(b"\xef\xbb\xbf"))
