"""Data in: clients and purchases from CSV, XLSX and vCard files.

The way through an import (the wizard and ``clientcare import`` share it):

1. :func:`read_table` reads the file (once, row by row: its limits and how many rows it
   has) into a :class:`RawTable`, which reads the rows from the file again each time
   they are asked for: no file is held whole in memory. CSV: the encoding is
   found (UTF-8 with or without a BOM; else cp1251, the Russian and Bulgarian Excel
   export, or cp1250, the Polish one, whichever reads as more letters of its alphabet)
   and the delimiter (``;``, ``,``, tab or ``|``). XLSX: the first sheet (openpyxl).
   vCard (2.1, 3.0, 4.0): one row per card with name, phone, e-mail and birthday.
2. :func:`guess_mapping` proposes which column is which field, from headings in
   English, Polish, Russian and Bulgarian; the user corrects it.
3. :func:`plan_import` checks every row and says what would happen: rows rejected with
   row, column and reason; duplicates of existing clients (same phone, e-mail or card
   number) to merge or skip; purchases whose client is unknown. The file is read as a
   stream, a batch of rows at a time; each batch's keys are looked up in SQL by the
   indexes; the rows accepted, as they will be written, go to the plan's staging file
   (:class:`Staging`, a temporary SQLite file), the preview keeps the first of each list.
4. :func:`apply_import` writes the rows the user confirmed, all or nothing (one
   transaction), from the staging file, in batches through Core ``insert()``
   executemany; then the figures and calls of the clients written are made again in
   bulk. A purchase remembers a key of its row (:func:`purchase_import_key`), so
   importing the same file again adds nothing twice.
"""

from __future__ import annotations

import codecs
import csv
import functools
import gc
import hashlib
import itertools
import json
import marshal
import math
import os
import quopri
import re
import sqlite3
import tempfile
import time
import unicodedata
import weakref
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

import charset_normalizer
from sqlalchemy import column as sa_column
from sqlalchemy import func, insert, select
from sqlalchemy import table as sa_table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app import changes, dialect
from app.errors import DomainError, FieldError, ValidationError
from app.models import Client, PersonalDate, Purchase, Tag, client_tags
from app.models.enums import DateKind
from app.progress import NO_PROGRESS, Progress
from app.services import chart_store, schedule
from app.services import settings as settings_service
from app.services.clients import (
    STATS_AS_OF,
    ClientData,
    PersonalDateData,
    PurchaseData,
    client_columns,
    refresh_client_stats,
    refresh_values,
    search_text_for,
    validate_client,
    validate_purchase,
)
from app.services.validation import (
    MAX_AMOUNT,
    normalize_email,
    normalize_phone,
    parse_amount,
    phone_digits,
    unchecked_digits,
)

KINDS = ("clients", "purchases")
CLIENT_FIELDS = ("name", "first_name", "last_name", "phone", "email", "birthday",
                 "card_number", "notes", "source_channel", "tags", "marketing_consent")
PURCHASE_FIELDS = ("card_number", "phone", "email", "client_name", "date", "amount", "item",
                   "quantity", "note")
#: the fields that tell whose row it is (a purchase needs one of them mapped)
KEY_FIELDS = ("card_number", "phone", "email")

# Reading is bounded: each limit is named in the message that refuses a file, with the
# row where it was passed. A file is streamed (read row by row, never held whole), so the
# row limits bound the time an import takes, not its memory.
MAX_ROWS = 10_000_000       #: rows of data in one file
MAX_COLUMNS = 1_000         #: columns in one row
MAX_CELL_CHARS = 100_000    #: characters in one cell
MAX_LINE_CHARS = 2_000_000  #: characters in one line of a CSV or vCard file
MAX_CELLS = 250_000_000     #: filled cells in one file
MAX_SHEET_ROWS = MAX_ROWS + 50_000  #: rows of an XLSX sheet, empty ones included
MAX_XLSX_PART_BYTES = 300_000_000   #: an XLSX part (shared strings, a sheet) unpacked
SNIFF_CHARS = 64_000        #: the sample the delimiter is found in
HEADER_SEARCH_ROWS = 30     #: the first rows the heading row is looked for in
_CHUNK = 1 << 16

#: the encodings a user's files can have, as the wizard offers them
ENCODINGS = ("utf-8", "utf-16", "cp1250", "cp1251", "cp1252", "koi8-r", "iso8859-2")
_SINGLE_BYTE = ("cp1250", "cp1251", "cp1252", "koi8-r", "iso8859-2")
_DELIMITERS = ";,\t|"

#: rows checked or written between two progress reports (and checks for "stop")
PROGRESS_BATCH = 1_000
#: rows written together (one look-up of their keys, one executemany per table)
BATCH = 5_000
#: keys looked up in one SQL ``IN (...)``
LOOKUP_CHUNK = 2_000
#: clients whose figures and calls are made again together after an import
REFRESH_BATCH = 2_000
#: what the preview keeps of each list (rows ready, rejected, duplicates, numbers to
#: check); beyond it, their count (the plan's staging file keeps them all)
PREVIEW_LIMIT = 1_000
#: an import of at most this many rows names its clients in the change it announces
#: (the window updates those rows); a bigger one announces "clients"
SCOPED_ROWS = 20_000
#: what an import is doing, as the ``text`` of its progress reports (the window and the
#: command line put them in words)
STAGE_CHECK = "import.check"
STAGE_BACKUP = "import.backup"
STAGE_ROWS = "import.rows"
STAGE_SCHEDULE = "import.schedule"


class TableRows(Sequence):
    """The rows of a table, read again from its file each time they are iterated (the
    file is never held whole in memory); ``len`` is known from the first reading.
    Indexing and comparing with a list read the rows they need (for small files)."""

    def __init__(self, table: RawTable, numbers: bool = False) -> None:
        self._table = table
        self._numbers = numbers

    def __len__(self) -> int:
        return self._table.count

    def __iter__(self) -> Iterator[Any]:
        for n, row in self._table.numbered():
            yield n if self._numbers else row

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return next(itertools.islice(iter(self), index, None))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list | tuple | TableRows):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} {'row numbers' if self._numbers else 'rows'} of a file>"


class RawTable:
    """A table read from a file: its headings and how it was read. The rows are either
    given (``rows``, a list) or streamed from the file (``stream``: a function that
    yields ``(row number, cells)`` each time it is called, ``count`` of them)."""

    def __init__(self, headers: list[str], rows: list[list[Any]] | None = None,
                 encoding: str | None = None, delimiter: str | None = None,
                 source: str = "csv", numbers: list[int] | None = None,
                 header_row: int = 1, *,
                 stream: Callable[[], Iterator[tuple[int, list[Any]]]] | None = None,
                 count: int | None = None) -> None:
        self.headers = headers
        self._rows = rows
        self.encoding = encoding
        self.delimiter = delimiter
        self.source = source  # csv, xlsx, vcard
        self._numbers = numbers
        #: the row the headings were found on (1 unless a title is above them)
        self.header_row = header_row
        self._stream = stream
        self.count = count if count is not None else len(rows or [])

    @property
    def rows(self) -> Sequence[list[Any]]:
        return self._rows if self._rows is not None else TableRows(self)

    @property
    def numbers(self) -> Sequence[int]:
        """The row number of each row as a spreadsheet shows it (blank rows are
        skipped)."""
        if self._numbers is not None:
            return self._numbers
        if self._rows is not None:
            return [i + 2 for i in range(len(self._rows))]
        return TableRows(self, numbers=True)

    def number(self, index: int) -> int:
        if self._numbers is not None:
            return self._numbers[index]
        if self._rows is not None or self.source == "vcard":
            return index + 2
        return self.numbers[index]

    def numbered(self) -> Iterator[tuple[int, list[Any]]]:
        """``(row number, cells)`` of every row, in order, read from the file again."""
        if self._stream is not None:
            yield from self._stream()
            return
        rows = self._rows or []
        numbers = self._numbers or range(2, len(rows) + 2)
        yield from zip(numbers, rows, strict=False)

    def head(self, count: int) -> list[list[Any]]:
        """The first ``count`` rows (the examples the column page shows)."""
        return [row for _n, row in itertools.islice(self.numbered(), count)]


# --------------------------------------------------------------------------- reading

def _refuse(code: str, message: str, path: Path, **values: Any) -> DomainError:
    """A refused file: ``message`` is the plain English the command line prints; the
    window shows the translated sentence of ``code`` (app/ui/messages.py)."""
    return DomainError(code, f"{path}: {message}", path=str(path), **values)


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+(?:[^\w\s]+[^\W\d_]+)*")
_ODD_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\w\s'’`\-.,;:!?\"()/&@*+=\[\]{}<>|\\#%$€]+"
                          r"(?=[^\W\d_])")


def _implausibility(text: str) -> int:
    """How unlike written words a decoded text looks: symbols inside words ("Wi±tek"),
    control characters, words mixing Latin and Cyrillic letters ("Renйe"), capitals
    inside lower-case words ("йНС")."""
    score = 3 * len(_ODD_IN_WORD.findall(text))
    score += 3 * sum(1 for ch in text if "\x80" <= ch <= "\x9f" or ch == "\ufffd")
    for word in _WORD.findall(text):
        if _LATIN.search(word) and _CYRILLIC_RE.search(word):
            score += 3
        score += sum(1 for a, b in itertools.pairwise(word) if a.islower() and b.isupper())
    return score


def _preferred(region: str) -> tuple[str, ...]:
    """The single-byte encodings in the order a business of ``region`` meets them."""
    region = (region or "").upper()
    if region in ("RU", "BG", "UA", "BY", "KZ", "RS", "MK", "KG", "MD"):
        return ("cp1251", "koi8-r", "cp1252", "cp1250", "iso8859-2")
    if region in ("PL", "CZ", "SK", "HU", "SI", "HR", "RO", "AL", "BA"):
        return ("cp1250", "iso8859-2", "cp1252", "cp1251", "koi8-r")
    return ("cp1252", "cp1250", "iso8859-2", "cp1251", "koi8-r")


def detect_encoding(data: bytes, region: str = "") -> str:
    """The encoding of a sample of a file: a BOM (UTF-8, or UTF-16 as Excel's "Unicode
    Text" writes it), else UTF-8 when it reads as UTF-8, else what charset-normalizer
    finds among the single-byte encodings a user's files have (Windows-1250, -1251,
    -1252, KOI8-R, ISO-8859-2). Where the bytes read as plausible text in more than one
    of them, the one that reads most like words wins, then the business's country."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 3 > len(head):  # UTF-16 without its BOM
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > even * 4:
            return "utf-16-le"
        if even > odd * 4:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    found = [m.encoding.replace("_", "-") for m in charset_normalizer.from_bytes(
        data, cp_isolation=list(_SINGLE_BYTE), explain=False)]
    order = _preferred(region)
    texts: dict[str, str] = {}
    for enc in order:
        try:
            texts[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    # charset-normalizer names one of the encodings that read the bytes alike
    liked = {texts[e] for e in found if e in texts}
    scored = [(e not in found and texts[e] not in liked, _implausibility(texts[e]), rank, e)
              for rank, e in enumerate(order) if e in texts]
    return min(scored)[3] if scored else order[0]


def _sample(path: Path, limit: int = 1 << 20) -> bytes:
    """The first MB of the file, and when that is plain ASCII, up to another MB of the
    first lines further on that are not (so a file whose accents start late is read in
    the right encoding)."""
    with path.open("rb") as fh:
        head = fh.read(limit)
        if head.isascii():
            extra = bytearray()
            while len(extra) < limit:
                chunk = fh.read(limit)
                if not chunk:
                    break
                if not chunk.isascii():
                    extra += b"\n".join(line for line in chunk.split(b"\n")
                                        if not line.isascii())
            if extra:  # the start shows the layout, the lines with accents the encoding
                head = head[:SNIFF_CHARS] + b"\n" + bytes(extra)
    return head


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):
        return ""


def detect_delimiter(text: str) -> str:
    """``;``, ``,``, tab or ``|``: the one that splits the first lines of ``text`` (at
    most :data:`SNIFF_CHARS` characters) into the same number of fields most often.
    One linear pass that knows quotes; no regular expression to backtrack."""
    text = text[:SNIFF_CHARS]
    lines: list[dict[str, int]] = []
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    filled = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch in "\r\n":
            if filled:
                lines.append(counts)
            counts, filled = dict.fromkeys(_DELIMITERS, 0), False
        elif ch in counts:
            counts[ch] += 1
        elif not ch.isspace():
            filled = True
    if filled:
        lines.append(counts)
    best, best_score = ";", (0, 0)
    for d in _DELIMITERS:
        seen: dict[int, int] = {}
        for line in lines:
            if line[d]:
                seen[line[d]] = seen.get(line[d], 0) + 1
        if not seen:
            continue
        width, times = max(seen.items(), key=lambda kv: (kv[1], kv[0]))
        if (times, width) > best_score:
            best, best_score = d, (times, width)
    return best


class _Lines:
    """The lines of a text file, decoded as they are read: bounded in memory (a line
    longer than :data:`MAX_LINE_CHARS` is refused), every line ending in one ``\\n``
    whatever the file used, and a byte that is not of the encoding refused with its
    row (never replaced by a wrong letter)."""

    def __init__(self, path: Path, encoding: str, *, count_lines: bool = False) -> None:
        self.path = path
        self.encoding = encoding
        #: the row being read, as a spreadsheet counts them (the CSV reader sets it), or
        #: the line (``count_lines``: a vCard file)
        self.row = 1
        self.count_lines = count_lines

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        pending = ""
        with self.path.open("rb") as fh:
            while True:
                raw = fh.read(_CHUNK)
                try:
                    text = decoder.decode(raw, final=not raw)
                except UnicodeDecodeError as exc:
                    before = pending + raw[:exc.start].decode(self.encoding, errors="ignore")
                    row = self.row + len(_NEWLINES.findall(before))
                    raise _refuse("import.encoding", f"row {row}: bytes that are not "
                                  f"{self.encoding}", self.path, row=row,
                                  encoding=self.encoding) from None
                data = pending + text
                held = ""
                if raw and data.endswith("\r"):  # maybe the first half of \r\n
                    data, held = data[:-1], "\r"
                parts = _NEWLINES.split(data)
                pending = parts.pop() + held
                for part in parts:
                    yield part + "\n"
                    if self.count_lines:
                        self.row += 1
                if len(pending) > MAX_LINE_CHARS:
                    raise _refuse("import.line_too_long", f"row {self.row}: a line longer "
                                  f"than {MAX_LINE_CHARS} characters", self.path,
                                  row=self.row, maximum=MAX_LINE_CHARS)
                if not raw:
                    break
        if pending:
            yield pending + "\n"


_NEWLINES = re.compile(r"\r\n|\r|\n")


def read_table(path: Path, *, encoding: str | None = None, header_row: int | None = None,
               region: str = "") -> RawTable:
    """Read a CSV, XLSX or vCard file. ``encoding`` (CSV, vCard) and ``header_row`` (the
    row number of the headings; CSV, XLSX) are found when not given; ``region``, the
    business's country, settles an encoding two of them would read alike.

    The file is read once here, row by row, to check its limits and count its rows; the
    table's rows are then read from the file again each time they are iterated, so a
    file of any size takes the same memory."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            if path.is_dir():
                raise _refuse("import.unreadable", f"{path} is a folder", path,
                              detail="folder")
            raise _refuse("import.missing", f"{path} does not exist", path)
        if suffix == ".xlsx":
            return _read_xlsx(path, header_row)
        sample = _sample(path)
    except PermissionError as exc:
        raise _refuse("import.no_permission", f"{path}: no permission", path) from exc
    except OSError as exc:
        raise _refuse("import.unreadable", f"{path}: {exc.strerror or exc}", path,
                      detail=exc.strerror or "") from exc
    if encoding:
        encoding = _codec(encoding)
        if not encoding:
            raise _refuse("import.encoding_unknown", "unknown encoding", path)
        if encoding == "utf-8" and sample.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
    else:
        encoding = _codec(detect_encoding(sample, region))
    head = sample[:SNIFF_CHARS * 4].decode(encoding, errors="ignore")
    if suffix == ".vcf" or head.lstrip("\ufeff \r\n\t").upper().startswith("BEGIN:VCARD"):
        return _read_vcards(path, encoding)
    try:
        return _read_csv(path, encoding, detect_delimiter(head.lstrip("\ufeff")), header_row)
    except OSError as exc:
        raise _refuse("import.unreadable", f"{path}: {exc.strerror or exc}", path,
                      detail=exc.strerror or "") from exc


def _csv_records(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of a CSV file with their row numbers, within the limits."""
    lines = _Lines(path, encoding)
    cells = kept = 0
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        reader = csv.reader(lines, delimiter=delimiter)
        row = 0
        while True:
            lines.row = row + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise _refuse("import.cell_too_long", f"row {row + 1}: a cell longer "
                                  f"than {MAX_CELL_CHARS} characters", path, row=row + 1,
                                  maximum=MAX_CELL_CHARS) from None
                raise _refuse("import.csv_broken", f"row {row + 1}: not a table row",
                              path, row=row + 1) from None
            row += 1
            if any("\x00" in c for c in record):
                raise _refuse("import.csv_broken", f"row {row}: a NUL character", path,
                              row=row)
            while record and not record[-1].strip():
                record.pop()
            if not record or not any(c.strip() for c in record):
                continue
            cells += _check_row(path, row, record, kept, cells)
            kept += 1
            yield row, [_undefused(c) if c[:1] == "'" else c for c in record]
    finally:
        csv.field_size_limit(old_limit)


def _read_csv(path: Path, encoding: str, delimiter: str, header_row: int | None) -> RawTable:
    table = _table(path, lambda: _csv_records(path, encoding, delimiter), header_row, "csv")
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _check_row(path: Path, row: int, record: list[Any], kept: int, cells: int) -> int:
    """Refuse a row that passes a limit; returns its number of cells."""
    if len(record) > MAX_COLUMNS:
        raise _refuse("import.too_wide", f"row {row}: more than {MAX_COLUMNS} columns",
                      path, row=row, maximum=MAX_COLUMNS, count=len(record))
    if kept > MAX_ROWS:
        raise _refuse("import.too_big", f"row {row}: more than {MAX_ROWS} rows", path,
                      row=row, maximum=MAX_ROWS)
    if cells + len(record) > MAX_CELLS:
        raise _refuse("import.too_many_cells", f"row {row}: more than {MAX_CELLS} cells",
                      path, row=row, maximum=MAX_CELLS)
    return len(record)


def find_header_row(numbered: list[tuple[int, list[Any]]]) -> int:
    """The index (in ``numbered``) of the row with the headings: among the first
    :data:`HEADER_SEARCH_ROWS` rows, the one naming most fields (the first of equals);
    when none names a field, the first row as wide as the rows below it (a title above
    the table is narrower)."""
    first = numbered[:HEADER_SEARCH_ROWS]
    scores = [len(set(guess_mapping(_strings(r), "clients").values())
                  | set(guess_mapping(_strings(r), "purchases").values())) for _n, r in first]
    if scores and max(scores) > 0:
        return scores.index(max(scores))
    widths = [sum(1 for c in r if _text(c)) for _n, r in first]
    if len(widths) < 2:
        return 0
    below = sorted(widths[1:])
    typical = below[len(below) // 2]
    return next((i for i, w in enumerate(widths) if w >= typical), 0)


#: a cell our export (or a spreadsheet's) defused: its first apostrophe is not the text's
#: (app/services/io/export.py ``csv_text``: the two are each other's inverse; "\\r" is
#: read as "\\n", the reader's universal newlines)
_DEFUSED = re.compile(r"^'(?=[=+\-@\t\r\n'])")


def _undefused(cell: str) -> str:
    """A CSV cell that an export (ours or Excel's) wrote as "'+48 601…" or "'=…", so that
    a spreadsheet keeps it as text, is read back as the text itself."""
    return _DEFUSED.sub("", cell, count=1) if cell.startswith("'") else cell


def _strings(row: list[Any]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in row]


def _table(path: Path, records: Callable[[], Iterator[tuple[int, list[Any]]]],
           header_row: int | None, source: str) -> RawTable:
    """Read ``records()`` once: find the headings (``header_row``, or among the first
    rows), count the rows below them and check every limit on the way. The table then
    streams the rows below the headings from ``records()`` again."""
    it = records()
    first: list[tuple[int, list[Any]]] = []
    at: int | None = None
    for n, record in it:
        first.append((n, record))
        if header_row is not None:
            if n >= header_row:
                break
        elif len(first) >= HEADER_SEARCH_ROWS:
            break
    if not first:
        raise _refuse("import.empty", "the file is empty", path)
    if header_row is not None:
        at = next((i for i, (n, _r) in enumerate(first) if n == header_row), None)
        if at is None:
            raise _refuse("import.header_row", f"row {header_row} is empty or not in the "
                          "file", path, row=header_row)
    else:
        at = find_header_row(first)
    heading_number = first[at][0]
    headers = [" ".join(h.split()) for h in _strings(first[at][1])]
    width = len(headers)
    count = len(first) - at - 1 + sum(1 for _ in it)
    if not count:
        raise _refuse("import.empty", "no rows below the headings", path)

    def stream() -> Iterator[tuple[int, list[Any]]]:
        try:
            for n, record in records():
                if n > heading_number:
                    if len(record) < width:
                        record = list(record) + [""] * (width - len(record))
                    yield n, record
        except PermissionError as exc:  # the file changed since it was first read
            raise _refuse("import.no_permission", f"{path}: no permission", path) from exc
        except OSError as exc:
            raise _refuse("import.unreadable", f"{path}: {exc.strerror or exc}", path,
                          detail=exc.strerror or "") from exc

    return RawTable(headers, None, None, None, source, None, heading_number, stream=stream,
                    count=count)


def _read_xlsx(path: Path, header_row: int | None) -> RawTable:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.file_size > MAX_XLSX_PART_BYTES:
                    raise _refuse("import.xlsx_too_big", f"{info.filename} is too big",
                                  path, maximum=MAX_XLSX_PART_BYTES // 1_000_000)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse("import.xlsx_unreadable", "not an Excel workbook", path) from exc
    return _table(path, lambda: _xlsx_records(path), header_row, "xlsx")


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The non-blank rows of the first sheet with their row numbers, streamed by
    openpyxl's read-only reader, within the limits."""
    from openpyxl import load_workbook  # lazy: openpyxl takes a while to import
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise _refuse("import.xlsx_unreadable", f"not an Excel workbook: {exc}",
                      path) from exc
    cells = kept = 0
    row = 0
    try:
        if not wb.worksheets:
            raise _refuse("import.xlsx_no_sheet", "the workbook has no sheet", path)
        ws = wb.worksheets[0]
        # the sheet's stated size is often wrong (and would hide the rows beyond it):
        # read every row the sheet has
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                break
            row += 1
            if row > MAX_SHEET_ROWS:
                raise _refuse("import.too_big", f"row {row}: more than {MAX_SHEET_ROWS} "
                              "rows, empty ones included", path, row=row,
                              maximum=MAX_SHEET_ROWS)
            record = [_xlsx_value(path, row, v) for v in values]
            while record and record[-1] == "":
                record.pop()
            if not any(c != "" and not (isinstance(c, str) and not c.strip())
                       for c in record):
                continue
            cells += _check_row(path, row, record, kept, cells)
            kept += 1
            yield row, record
    except DomainError:
        raise
    except GeneratorExit:
        raise
    except Exception as exc:  # a damaged sheet fails in many ways
        raise _refuse("import.xlsx_damaged", f"row {row + 1}: damaged ({exc})", path,
                      row=row + 1) from exc
    finally:
        wb.close()


def _xlsx_value(path: Path, row: int, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "nan", "inf": refused beside the field it is in, as text
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise _refuse("import.cell_too_long", f"row {row}: a cell longer than "
                      f"{MAX_CELL_CHARS} characters", path, row=row, maximum=MAX_CELL_CHARS)
    return value


# --------------------------------------------------------------------------- vCard

#: the properties the import uses; the others (photos, keys, sounds) are skipped unread
_VCARD_PROPS = {"BEGIN", "END", "FN", "N", "TEL", "EMAIL", "BDAY", "NOTE"}
#: the character sets a card may name; any other is read as UTF-8 when it is UTF-8
_VCARD_CHARSETS = {"utf-8", "cp1250", "cp1251", "cp1252", "koi8-r", "iso8859-1",
                   "iso8859-2", "iso8859-5", "ascii", "latin-1", "utf-16", "mac-cyrillic"}


def _vcard_prop(line: str) -> str:
    return line.split(":", 1)[0].split(";", 1)[0].split(".")[-1].strip().upper()


def _unfold(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Logical lines with the number of their first physical line; folded lines are
    joined (3.0/4.0 leading space, 2.1 quoted-printable soft breaks). Lines of
    properties the import does not use are dropped, so a photo costs no memory."""
    current: str | None = None
    first = 0
    for n, raw in enumerate(lines, start=1):
        raw = raw.rstrip("\r\n")
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
        elif (current is not None and current.endswith("=")
              and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper()):
            current = current[:-1] + raw  # 2.1 soft line break
        else:
            if current is not None:
                yield first, current
            current, first = raw, n
            if _vcard_prop(raw) not in _VCARD_PROPS:
                current = None
            continue
        if current is not None and len(current) > MAX_LINE_CHARS:
            raise DomainError("import.line_too_long", f"line {first}: longer than "
                              f"{MAX_LINE_CHARS} characters", row=first,
                              maximum=MAX_LINE_CHARS)
    if current is not None:
        yield first, current


def _vcard_value(params: list[str], value: str, line: int = 0) -> str:
    if any("QUOTED-PRINTABLE" in p.upper() for p in params):
        given = next((p.split("=", 1)[1].strip().strip('"') for p in params
                      if p.upper().startswith("CHARSET=")), "utf-8")
        charset = _codec(given) if "\x00" not in given else ""
        raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
        try:
            value = raw.decode(charset if charset in _VCARD_CHARSETS else "utf-8")
        except UnicodeDecodeError:
            raise DomainError("import.vcard_charset", f"line {line}: not {given}",
                              row=line, charset=given[:40]) from None
    return value.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").strip()


def iter_vcards(text: str | Iterable[str]) -> Iterator[dict[str, str]]:
    """Cards as dicts with name, phone, email, birthday (as written), notes, one by one.
    Raises DomainError (with the line) for a quoted-printable value that is not text in
    the character set it names, and for more than :data:`MAX_ROWS` cards."""
    lines = _NEWLINES.split(text) if isinstance(text, str) else text
    count = 0
    card: dict[str, str] | None = None
    for n, line in _unfold(lines):
        if ":" not in line:
            continue
        key, value = line.split(":", 1)
        parts = key.split(";")
        prop = parts[0].split(".")[-1].upper()  # "item1.TEL" -> TEL
        params = parts[1:]
        if prop == "BEGIN" and value.strip().upper() == "VCARD":
            card = {}
        elif prop == "END" and card is not None:
            if card.get("name") or card.get("phone") or card.get("email"):
                if count >= MAX_ROWS:
                    raise DomainError("import.too_big", f"line {n}: more than {MAX_ROWS} "
                                      "cards", row=n, maximum=MAX_ROWS)
                count += 1
                yield card
            card = None
        elif card is not None:
            v = _vcard_value(params, value, n)
            if len(v) > MAX_CELL_CHARS:
                raise DomainError("import.cell_too_long", f"line {n}: longer than "
                                  f"{MAX_CELL_CHARS} characters", row=n,
                                  maximum=MAX_CELL_CHARS)
            if prop == "FN" and v:
                card["name"] = v
            elif prop == "N" and not card.get("name"):
                family, given = (v.split(";") + ["", ""])[:2]
                card["name"] = " ".join(p for p in (given, family) if p).strip()
            elif prop == "TEL" and v and "phone" not in card:
                card["phone"] = v.removeprefix("tel:")
            elif prop == "EMAIL" and v and "email" not in card:
                card["email"] = v.removeprefix("mailto:")
            elif prop == "BDAY" and v:
                card["birthday"] = v
            elif prop == "NOTE" and v:
                card["notes"] = v


def parse_vcards(text: str | Iterable[str]) -> list[dict[str, str]]:
    """Every card of ``text`` (see :func:`iter_vcards`)."""
    return list(iter_vcards(text))


VCARD_HEADERS = ["name", "phone", "email", "birthday", "notes"]


def vcards_table(text: str | Iterable[str], encoding: str | None = None) -> RawTable:
    cards = parse_vcards(text)
    return RawTable(list(VCARD_HEADERS), [[c.get(h, "") for h in VCARD_HEADERS]
                                          for c in cards], encoding, None, "vcard")


def _read_vcards(path: Path, encoding: str) -> RawTable:
    def stream() -> Iterator[tuple[int, list[Any]]]:
        lines = _Lines(path, encoding, count_lines=True)
        try:
            cards = iter_vcards(ln.lstrip("\ufeff") for ln in lines)
            for i, c in enumerate(cards):
                yield i + 2, [c.get(h, "") for h in VCARD_HEADERS]
        except DomainError as exc:
            if "path" not in exc.values:
                raise _refuse(exc.code, exc.message, path, **exc.values) from None
            raise
        except OSError as exc:  # the file changed since it was first read
            raise _refuse("import.unreadable", f"{path}: {exc.strerror or exc}", path,
                          detail=exc.strerror or "") from exc

    count = sum(1 for _ in stream())
    if not count:
        raise _refuse("import.empty", "no cards in the file", path)
    return RawTable(list(VCARD_HEADERS), None, encoding, None, "vcard", stream=stream,
                    count=count)


# --------------------------------------------------------------------------- mapping

_SYNONYMS = {
    "name": ("name", "full name", "client", "customer", "client name", "customer name",
             "nazwa", "klient", "imię i nazwisko", "nazwa klienta", "фио", "клиент",
             "имя и фамилия", "име и фамилия"),
    "first_name": ("first name", "given name", "imię", "имя", "име", "собствено име"),
    "last_name": ("last name", "surname", "family name", "nazwisko", "фамилия"),
    "phone": ("phone", "telephone", "mobile", "tel", "telefon", "komórka", "nr telefonu",
              "numer telefonu", "phone number", "mobile phone", "телефон", "моб",
              "мобилен", "мобильный", "номер телефона", "телефонен номер"),
    "email": ("email", "e-mail", "mail", "e-mail address", "email address", "adres e-mail",
              "adres email", "эл почта", "электронная почта", "почта", "email адрес",
              "имейл", "е-поща", "електронна поща"),
    "birthday": ("birthday", "date of birth", "born", "birth date", "dob", "urodziny",
                 "data urodzenia", "день рождения", "дата рождения", "рожден ден",
                 "дата на раждане"),
    "card_number": (
        "card", "card number", "card no", "card nr", "loyalty card", "loyalty card number",
        "patient number", "patient id", "number", "external ref", "external reference",
        "client id", "customer id", "client number", "customer number", "client no",
        "customer no", "client code", "customer code", "member id", "member number",
        "membership number", "karta", "numer karty", "nr karty", "karta klienta",
        "id klienta", "nr klienta", "numer klienta", "kod klienta", "карта", "номер карты",
        "№ карты", "карта клиента", "номер клиента", "код клиента", "id клиента",
        "дисконтная карта", "клиентская карта", "номер на карта", "карта на клиента",
        "клиентски номер", "номер на клиент", "код на клиент", "id на клиент"),
    "notes": ("notes", "note", "comment", "comments", "uwagi", "notatki", "комментарий",
              "заметки", "бележки"),
    "source_channel": ("source", "channel", "came from", "źródło", "источник", "източник"),
    "tags": ("tags", "etykiety", "метки", "етикети"),
    "marketing_consent": ("consent", "marketing consent", "zgoda", "zgoda marketingowa",
                          "согласие", "съгласие"),
    "client_name": ("client", "customer", "client name", "customer name", "klient",
                    "nazwa klienta", "клиент", "фио"),
    "date": ("date", "purchase date", "data", "data zakupu", "дата", "дата покупки",
             "дата на покупка"),
    "amount": ("amount", "sum", "total", "price", "kwota", "wartość", "suma", "сумма",
               "стоимость", "сума", "цена"),
    "item": ("item", "product", "service", "towar", "usługa", "produkt", "товар", "услуга",
             "продукт"),
    "quantity": ("quantity", "qty", "ilość", "количество", "кол-во"),
    "note": ("note", "notes", "comment", "uwagi", "комментарий", "бележка"),
}
#: headings that name the client's key only in a file of clients (in a file of purchases
#: a bare "id" is the purchase's own number)
_CLIENT_KEY_ONLY = ("id",)


def heading_key(heading: str) -> str:
    """A heading as it is compared: NFC, case-folded, ``_`` and ``.`` as spaces, one
    space between words, without a closing ``:`` or ``#``."""
    text = unicodedata.normalize("NFC", heading or "").casefold()
    text = text.replace("_", " ").replace(".", " ")
    return " ".join(text.split()).strip(" :#")


_SYNONYM_KEYS = {f: {heading_key(s) for s in (f, *names)} for f, names in _SYNONYMS.items()}
for _f in (*CLIENT_FIELDS, *PURCHASE_FIELDS):
    _SYNONYM_KEYS.setdefault(_f, {heading_key(_f)})


def field_of_heading(heading: str, kind: str) -> str | None:
    """The field a heading names in a file of ``kind``, or None."""
    key = heading_key(heading)
    if kind == "clients" and key in _CLIENT_KEY_ONLY:
        return "card_number"
    for f in CLIENT_FIELDS if kind == "clients" else PURCHASE_FIELDS:
        if key in _SYNONYM_KEYS[f]:
            return f
    return None


def guess_mapping(headers: list[str], kind: str) -> dict[int, str]:
    """Column index -> field, for headings that name a field (each field once)."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for i, h in enumerate(headers):
        f = field_of_heading(h, kind)
        if f is not None and f not in used:
            out[i] = f
            used.add(f)
    return out


def check_key_column(headers: list[str], mapping: dict[int, str], kind: str) -> None:
    """Refuse, before anything is read into ClientCare, a file of purchases whose client
    key column (card number, phone or e-mail) is not mapped, naming the columns it has;
    and a file of clients that has a card number column not mapped as the card number."""
    chosen = set(mapping.values())
    if kind == "purchases" and not chosen & set(KEY_FIELDS):
        columns = ", ".join(h or f"#{i + 1}" for i, h in enumerate(headers))
        raise DomainError("import.key_missing", "no column of the purchases is mapped to the "
                          f"client's card number, phone or e-mail; the file has: {columns}",
                          columns=columns)
    if kind == "clients" and "card_number" not in chosen:
        for i, h in enumerate(headers):
            if field_of_heading(h, "clients") == "card_number":
                raise DomainError("import.key_unmapped", f"the column {h!r} holds the "
                                  "clients' card numbers but is not imported as the card "
                                  "number", column=h or f"#{i + 1}")


def signature(headers: list[str]) -> str:
    """Identifies a file layout, so a mapping chosen once is offered again."""
    return hashlib.sha1("\x1f".join(h.casefold() for h in headers).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- checking

@dataclass(frozen=True)
class RowProblem:
    row: int     # the row number as a spreadsheet shows it (the heading is row 1)
    column: str  # the heading of the column (or the field when it has none)
    code: str    # a message code of app/ui/messages.py
    value: str = ""
    #: the values the message needs besides the cell's (e.g. ``maximum``)
    values: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class ClientRow:
    row: int
    name: str
    phone: str | None = None
    email: str | None = None
    card_number: str | None = None
    birthday: tuple[int, int, int | None] | None = None  # month, day, year
    notes: str = ""
    source_channel: str | None = None
    tags: list[str] = field(default_factory=list)
    marketing_consent: bool | None = None
    #: the number as the file gave it when it is not a valid phone ("check this number")
    phone_unchecked: str | None = None
    #: the client exactly as it will be saved, checked by the card's own validation
    data: ClientData | None = None


@dataclass
class PurchaseRow:
    row: int
    client_key: tuple[str, str]  # ("card"|"phone"|"email", value): the first given
    client_name: str
    purchased_on: date
    amount: Decimal
    item: str = ""
    quantity: Decimal = Decimal(1)
    note: str = ""
    import_key: str = ""
    card_number: str | None = None  # as written (the client key is case-folded)
    #: every key the row gives, in the order card, phone, e-mail: the first one that
    #: finds a client wins, so a new card number with a known phone finds its client
    client_keys: list[tuple[str, str]] = field(default_factory=list)
    phone: str | None = None
    email: str | None = None
    phone_unchecked: str | None = None
    #: the client the row creates when its client is unknown (checked like a card)
    new_client: ClientData | None = None


@dataclass(frozen=True)
class Duplicate:
    row: int
    client_id: int | None  # an existing client; None = an earlier row of the same file
    name: str
    by: str                # phone, email, card
    #: the name the row of the file gives
    in_file: str = field(default="", compare=False)


@dataclass(frozen=True)
class PhoneHint:
    """Most phones of the file are not numbers of the business's country, but are
    numbers of ``region``: the file is offered to be read with that country."""
    region: str
    failed: int   # phones that are not valid numbers of the country used
    total: int    # phones in the file
    fits: int     # of the failed ones tried, those valid in ``region``
    tried: int


@dataclass
class PlanCounts:
    """How many rows of each sort the check found (the plan's lists keep the first
    :data:`PREVIEW_LIMIT` of each)."""
    ok: int = 0
    problems: int = 0     # problems found (a row may have several)
    rejected: int = 0     # rows with a problem
    duplicates: int = 0
    unknown: int = 0      # purchases whose client is not in ClientCare
    creates: int = 0      # clients those purchases would create (when asked)
    already: int = 0      # purchases imported before
    unchecked: int = 0    # rows whose number is kept to check


class Staging:
    """What the check of a file found, kept on disk (a temporary SQLite file) until the
    import writes it or the plan is dropped: every accepted row as the write needs it,
    the rejected rows, duplicates and numbers to check, and the keys already seen in the
    file. So a file of any size is checked and imported in the same memory, and the
    write does not check the rows again."""

    _SCHEMA = (
        "CREATE TABLE staged(row INTEGER PRIMARY KEY, dup INTEGER, unknown INTEGER, "
        "creates INTEGER, unchecked INTEGER, rec BLOB)",
        "CREATE TABLE problems(id INTEGER PRIMARY KEY, row INTEGER, col TEXT, code TEXT, "
        "value TEXT, vals TEXT)",
        "CREATE TABLE phones(id INTEGER PRIMARY KEY, row INTEGER, col TEXT, value TEXT)",
        "CREATE TABLE dups(row INTEGER PRIMARY KEY, client_id INTEGER, name TEXT, "
        "by TEXT, in_file TEXT)",
        "CREATE TABLE rowlists(id INTEGER PRIMARY KEY, kind TEXT, row INTEGER)",
        "CREATE TABLE seen(key TEXT PRIMARY KEY, row INTEGER, name TEXT) WITHOUT ROWID",
        "CREATE TABLE occ(key BLOB PRIMARY KEY, n INTEGER) WITHOUT ROWID",
        "CREATE TABLE newkeys(key TEXT PRIMARY KEY) WITHOUT ROWID",
        "CREATE TABLE touched(id INTEGER PRIMARY KEY)",
        # the rows of a file of clients whose consent cell says yes or no (their own
        # answer wins over a consent recorded for the whole file)
        "CREATE TABLE said(row INTEGER PRIMARY KEY)",
    )

    PREFIX = "clientcare-import-"

    def __init__(self) -> None:
        remove_stale_staging(Path(tempfile.gettempdir()))
        fd, name = tempfile.mkstemp(prefix=f"{self.PREFIX}{os.getpid()}-", suffix=".sqlite")
        os.close(fd)
        self.path = Path(name)
        self._finalizer = weakref.finalize(self, _remove_files, self.path)
        with closing(self.connect()) as conn:
            for statement in self._SCHEMA:
                conn.execute(statement)
            conn.commit()

    def connect(self) -> sqlite3.Connection:
        """A connection for one pass, on the thread that runs it."""
        conn = sqlite3.connect(self.path)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-16000")
        return conn

    def close(self) -> None:
        self._finalizer()


def _stored_problem(row: int, column: str, code: str, value: str, values: str) -> RowProblem:
    """A problem as the staging file kept it (its code was checked when it was found)."""
    return RowProblem(row, column, code, value, json.loads(values))


#: a staging file untouched this long is a killed import's, whatever its process
STALE_STAGING_SECONDS = 7 * 24 * 3600


def _process_alive(pid: int) -> bool | None:
    """Whether process ``pid`` runs (None where it cannot be asked safely: on Windows
    ``os.kill`` would end the process)."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it runs
        return True
    return True


def remove_stale_staging(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the staging files that killed imports left in ``folder``: those of a process
    that no longer runs (and idle for a minute, so a file being created is safe), or
    idle for a week. Returns what was removed."""
    now = time.time() if now is None else now
    removed = []
    for path in folder.glob(f"{Staging.PREFIX}*.sqlite"):
        pid_text = path.name[len(Staging.PREFIX):].split("-", 1)[0]
        try:
            idle = now - path.stat().st_mtime
        except OSError:
            continue
        alive = _process_alive(int(pid_text)) if pid_text.isdigit() else None
        if (alive is False and idle > 60) or idle > STALE_STAGING_SECONDS:
            _remove_files(path)
            if not path.exists():
                removed.append(path)
    return removed


def _remove_files(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal")):
        with suppress(OSError):
            p.unlink()


@dataclass
class Plan:
    """What an import would do. The lists hold the first :data:`PREVIEW_LIMIT` of each
    sort (what the preview shows); :attr:`counts` says how many there are, and the
    staging file keeps them all (:meth:`all_problems`, :meth:`all_duplicates`)."""
    kind: str
    clients: list[ClientRow] = field(default_factory=list)
    purchases: list[PurchaseRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    unknown_clients: list[int] = field(default_factory=list)  # purchase rows
    already_imported: list[int] = field(default_factory=list)  # purchase rows
    #: rows imported with their number kept as written, to be checked (code
    #: "phone.unchecked"); not rejected
    unchecked_phones: list[RowProblem] = field(default_factory=list)
    #: the country phones without a country code were read in
    phone_region: str = ""
    phone_hint: PhoneHint | None = None
    counts: PlanCounts = field(default_factory=PlanCounts)
    staging: Staging | None = field(default=None, repr=False, compare=False)

    @property
    def rows_ok(self) -> int:
        return self.counts.ok

    def all_problems(self) -> Iterator[RowProblem]:
        """Every problem found, in the order of the file (the staging file keeps them)."""
        if self.staging is None:
            yield from self.problems
            return
        with closing(self.staging.connect()) as conn:
            for got in conn.execute(
                    "SELECT row, col, code, value, vals FROM problems ORDER BY id"):
                yield _stored_problem(*got)

    def all_unchecked_phones(self) -> Iterator[RowProblem]:
        if self.staging is None:
            yield from self.unchecked_phones
            return
        with closing(self.staging.connect()) as conn:
            for row, col, value in conn.execute(
                    "SELECT row, col, value FROM phones ORDER BY id"):
                yield RowProblem(row, col, "phone.unchecked", value)

    def all_duplicates(self) -> Iterator[Duplicate]:
        if self.staging is None:
            yield from self.duplicates
            return
        with closing(self.staging.connect()) as conn:
            for row, cid, name, by, in_file in conn.execute(
                    "SELECT row, client_id, name, by, in_file FROM dups ORDER BY row"):
                yield Duplicate(row, cid or None, name, by, in_file)

    def all_rows(self, kind: str) -> Iterator[int]:
        """Every row of a list: "unknown" (purchases of unknown clients) or "already"
        (imported before)."""
        if self.staging is None:
            yield from (self.unknown_clients if kind == "unknown" else self.already_imported)
            return
        with closing(self.staging.connect()) as conn:
            for (row,) in conn.execute("SELECT row FROM rowlists WHERE kind = ? ORDER BY id",
                                       (kind,)):
                yield row


_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%y", "%Y.%m.%d",
                 "%Y/%m/%d", "%Y%m%d")
_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT")


def _date_text(value: Any) -> str:
    text = str(value).strip()
    return text.split(" ")[0].split("T")[0] if _ISO_TIME.match(text) else text


@functools.lru_cache(maxsize=1 << 16)
def _date_by(text: str, fmt: str) -> date | None:
    """``text`` read by ``fmt``, or None. Cached: a file's dates repeat (five years of
    purchases are 1,826 days; a million birthdays fewer than 40,000), and strptime is
    most of a date's cost; a date is immutable, so the cache cannot leak a change."""
    try:
        d = datetime.strptime(text, fmt).date()
    except ValueError:
        return None
    return d if 1900 <= d.year <= 2100 else None


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _date_text(value)
    for fmt in _DATE_FORMATS:
        d = _date_by(text, fmt)
        if d is not None:
            return d
    raise DomainError("date.invalid", f"not a date: {text}", value=text)


class DateColumn:
    """The dates of one column, parsed by the format found in the column: the first cell
    finds it among the formats :func:`parse_date` knows, the others are read by it (one
    ``strptime``, not one per format). A cell the format does not read is read as
    :func:`parse_date` reads it (whose answer is the same: the formats exclude each
    other), and its format is used from then on."""

    def __init__(self) -> None:
        self.format: str | None = None

    def parse(self, value: Any) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _date_text(value)
        if self.format is not None:
            d = _date_by(text, self.format)
            if d is not None:
                return d
        for fmt in _DATE_FORMATS:
            if fmt != self.format:
                d = _date_by(text, fmt)
                if d is not None:
                    self.format = fmt
                    return d
        raise DomainError("date.invalid", f"not a date: {text}", value=text)


def parse_birthday(value: Any, column: DateColumn | None = None
                   ) -> tuple[int, int, int | None]:
    """A full date, or a day without the year (vCard ``--MMDD`` / ``--MM-DD``, or
    ``dd.mm``). ``column``: the dates of the column read by the format found in it."""
    text = str(value).strip() if not isinstance(value, date | datetime) else value
    if isinstance(text, str):
        m = re.fullmatch(r"--(\d\d)-?(\d\d)", text) or None
        if m:
            month, day = int(m[1]), int(m[2])
            try:
                date(2000, month, day)  # a leap year: 29 February is a real birthday
            except ValueError:
                raise DomainError("date.invalid", f"not a date: {text}", value=text) from None
            return month, day, None
        m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})\.?", text)
        if m:
            day, month = int(m[1]), int(m[2])
            try:
                date(2000, month, day)
            except ValueError:
                raise DomainError("date.invalid", f"not a date: {text}", value=text) from None
            return month, day, None
    d = column.parse(text) if column is not None else parse_date(text)
    return d.month, d.day, d.year


def parse_decimal_text(value: Any, field_name: str = "amount") -> Decimal:
    """Money as a spreadsheet gives it: a number, "12,50", "1 234,50", "1,234.50".
    A number that is not finite or too large for an amount is refused, never rounded
    into another (a spreadsheet's 12.3 stays 12.30; 12.345 is refused)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DomainError("amount.invalid", f"not an amount: {value}", field=field_name,
                              value=str(value))
        value = Decimal(repr(value))
        if abs(value) > MAX_AMOUNT:
            raise DomainError("amount.too_large", "the amount is too large", field=field_name)
        rounded = value.quantize(Decimal("0.01"))
        if abs(value - rounded) > Decimal("1e-9"):  # more than the float's own noise
            raise DomainError("amount.precision", "at most two decimal places",
                              field=field_name)
        return parse_amount(rounded, field=field_name)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return parse_amount(Decimal(value), field=field_name)
    text = str(value).strip().replace("\u00a0", " ")
    for sym in ("zł", "zl", "PLN", "лв.", "лв", "BGN", "руб.", "₽", "RUB", "€", "EUR", "$"):
        text = text.replace(sym, "")
    text = text.strip()
    if "," in text and "." in text:
        point, group = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
    elif "," in text:
        point, group = ",", " "
    else:
        point, group = ".", " "
    return parse_amount(text, point, group, field=field_name)


def _cell(row: list[Any], mapping: dict[int, str], name: str) -> Any:
    for i, f in mapping.items():
        if f == name:
            return row[i] if i < len(row) else ""
    return ""


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    # NFC, as the card stores text: a card number typed decomposed is the same number
    return unicodedata.normalize("NFC", str(v).strip())



#: countries a file's phones are tried in when they are not numbers of the business's
#: country (neighbours and the countries clients of PL, RU and BG businesses come from)
PHONE_REGIONS = ("PL", "RU", "BG", "UA", "BY", "KZ", "DE", "CZ", "SK", "LT", "LV", "EE",
                 "RO", "MD", "GE", "AM", "AZ", "UZ", "RS", "MK", "GR", "TR", "GB", "IE",
                 "FR", "ES", "IT", "NL", "AT", "CH", "IL", "US")
_HINT_SAMPLE = 300


def suggest_phone_region(failed: list[str], region: str, total: int, *,
                         failed_count: int | None = None) -> PhoneHint | None:
    """When most of ``total`` phones failed in ``region`` (``failed_count`` of them,
    ``failed`` the first ones or all), the country most of the failed ones (a sample of
    them) are valid numbers of; None when there is none."""
    count = len(failed) if failed_count is None else failed_count
    if not failed or count * 2 <= total:
        return None
    sample = failed[:_HINT_SAMPLE]
    best: tuple[int, str] | None = None
    for other in PHONE_REGIONS:
        if other == region.upper():
            continue
        fits = 0
        for raw in sample:
            try:
                normalize_phone(raw, other)
                fits += 1
            except DomainError:
                pass
        if fits and (best is None or fits > best[0]):
            best = (fits, other)
    if best is None or best[0] * 2 < len(sample):
        return None
    return PhoneHint(best[1], count, total, best[0], len(sample))


#: the field of the client's card that holds each column's value
_CARD_FIELD = {"name": "name", "external_ref": "card_number", "phone": "phone",
               "email": "email", "tags": "tags", "marketing_consent_on": "marketing_consent",
               "source_channel": "source_channel", "notes": "notes"}




@contextmanager
def _bulk() -> Iterator[None]:
    """While a pass makes and drops millions of small objects: the objects alive before
    it are left out of the garbage collector's rounds (``gc.freeze``) and a round comes
    less often, so the collector does not scan the whole program for every few thousand
    rows (a third of the write's time without it).

    What was frozen stays frozen afterwards: ``gc.unfreeze()`` would also hand back what
    the window froze at its start (its modules and pages), and every full collection
    after an import would walk it all again (a stall of the window each time). A frozen
    object is still freed when nothing refers to it; only a cycle among them waits."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _sql_lower_forms(text: str) -> set[str]:
    """The texts SQLite's ``lower()`` (which folds only A-Z) may give for a stored text
    whose case-fold is ``text``: looked up in the ``lower(...)`` indexes."""
    return {text.translate(_ASCII_LOWER), text.upper().translate(_ASCII_LOWER)}


def find_clients(session: Session, keys: Iterable[tuple[str, str]]
                 ) -> dict[tuple[str, str], tuple[int, str]]:
    """The live clients (not in the Trash, not erased) that ``keys`` find: ("phone",
    digits), ("email", case-folded address), ("card", case-folded card number); for each
    key the client with the lowest id. One indexed look-up per kind and
    :data:`LOOKUP_CHUNK` keys (``phone_digits``, ``lower(email)``,
    ``lower(external_ref)``), never a read of every client."""
    wanted: dict[str, set[str]] = {"phone": set(), "email": set(), "card": set()}
    for kind, value in keys:
        wanted[kind].add(value)
    found: dict[tuple[str, str], tuple[int, str]] = {}

    conn = session.connection()

    def look(column: str, values: Iterable[str], kind: str, fold) -> None:
        # the Trash and erased clients are left out here, not in SQL: a condition on
        # deleted_at would lead SQLite to the list's index instead of the key's
        where = column if fold is None else f"lower({column})"
        for chunk in _batches(sorted(values), LOOKUP_CHUNK):
            marks = ",".join("?" * len(chunk))
            for cid, name, stored, deleted, erased in conn.exec_driver_sql(
                    dialect.placeholders(conn, f"SELECT id, name, {column}, deleted_at, "
                                         f"erased_at FROM clients WHERE {where} IN ({marks}) "
                                         "ORDER BY id"), tuple(chunk)):
                if deleted is not None or erased is not None:
                    continue
                key = (kind, stored if fold is None else fold(stored))
                if key[1] in wanted[kind]:
                    found.setdefault(key, (cid, name))

    if wanted["phone"]:
        look("phone_digits", wanted["phone"], "phone", None)
    if wanted["email"]:
        look("email", {f for e in wanted["email"] for f in _sql_lower_forms(e)}, "email",
             lambda v: v.casefold())
    if wanted["card"]:
        look("external_ref", {f for c in wanted["card"] for f in _sql_lower_forms(c)},
             "card", lambda v: unicodedata.normalize("NFC", v).casefold())
    return found


def purchase_import_key(client_key: tuple[str, str], purchased_on: date, amount: Decimal,
                        item: str, quantity: Decimal, occurrence: int = 1) -> int:
    """The value of ``purchases.import_key`` for an imported purchase (a signed 64-bit
    integer): from the client's first key (("card", case-folded card number) |
    ("phone", digits) | ("email", case-folded address)), the date, the amount and
    quantity as the import reads them (``Decimal``: "12.50", "1.000"), the item, and which
    ``occurrence`` of an identical line of the file it is (1, 2, ...: two coffees on one
    day are two purchases). Importing the same file again finds its rows by this key.

    It is the first 8 bytes of the SHA-1 whose first 32 hex digits the key was before
    migration 0008, which converted the keys stored then."""
    key_text = "\x1f".join((client_key[0], client_key[1], purchased_on.isoformat(),
                            str(amount), item, str(quantity), str(occurrence)))
    return int.from_bytes(hashlib.sha1(key_text.encode()).digest()[:8], "big", signed=True)


#: columns an imported client always has at their default: left to the column's default
#: in the insert
_DEFAULT_COLUMNS = {"preferred_channel": None, "contact_from": None, "contact_to": None,
                    "contact_days": "", "do_not_contact": False, "referred_by_id": None,
                    "segment_override": None, "segment_override_reason": "",
                    "preferences": ""}
#: the columns of a client's row an import writes, in the order the staging file keeps
#: them (:func:`client_columns` without those above)
_CLIENT_INSERT = tuple(k for k in client_columns(ClientData()) if k not in _DEFAULT_COLUMNS)


class _ClientStore:
    """A client's columns (:func:`client_columns`) as the database stores them, converted
    by the column types' own processors (an enum's value, a date's text, a boolean's 0
    or 1), so the write passes them on as they are."""

    def __init__(self, dialect) -> None:
        self.processors = [(name, _bind_processor(Client.__table__.c[name], dialect))
                           for name in _CLIENT_INSERT]

    def values(self, columns: dict[str, Any]) -> tuple:
        for name, default in _DEFAULT_COLUMNS.items():
            if columns[name] != default:  # not an import's client: a mistake here
                raise ValueError(f"an imported client with {name}={columns[name]!r}")
        return tuple(columns[name] if f is None else f(columns[name])
                     for name, f in self.processors)


#: the tables an import writes, by their columns without types: their values are
#: converted for the database already (:class:`_ClientStore`, :meth:`_Checker.stored`)
_CLIENT_ROWS = sa_table("clients", *(sa_column(name) for name in ("id", *_CLIENT_INSERT)))
_DATE_ROWS = sa_table("personal_dates", *(sa_column(name) for name in (
    "client_id", "kind", "month", "day", "year")))
_CONSENT_ROWS = sa_table("consent_events", *(sa_column(name) for name in (
    "client_id", "consent", "consent_on", "note")))
_CONSENT = _CLIENT_INSERT.index("marketing_consent")
_CONSENT_ON = _CLIENT_INSERT.index("marketing_consent_on")


def _bind_processor(column, dialect) -> Callable[[Any], Any] | None:
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None and dialect.name != "sqlite":
        # a server's driver takes dates and decimals as they are, but the staged rows are
        # marshalled: their exact text, which the server reads back into the column's type
        return _as_text
    return processor


def _as_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, clock_time)):
        return value.isoformat()
    return value


_PURCHASE_ROWS = sa_table("purchases", *(sa_column(name) for name in (
    "client_id", "purchased_on", "amount", "quantity", "item", "note", "import_key")))


class _Cells:
    """The cells of a row by field, for one mapping (looked up once, not per cell)."""

    def __init__(self, mapping: dict[int, str]) -> None:
        self.index = {f: i for i, f in sorted(mapping.items(), reverse=True)}

    def __call__(self, row: list[Any], name: str) -> Any:
        i = self.index.get(name)
        if i is None:
            return ""
        return row[i] if i < len(row) else ""


class _PhoneCache:
    """:func:`normalize_phone` once per distinct text and country (a file of purchases
    names each client's phone on every line); bounded."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], str | None | DomainError] = {}

    def __call__(self, text: str, region: str) -> str | None:
        key = (text, region)
        got = self.known.get(key, _MISSING)
        if got is _MISSING:
            try:
                got = normalize_phone(text, region)
            except DomainError as exc:
                got = exc
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[key] = got
        if isinstance(got, DomainError):
            raise got
        return got  # type: ignore[return-value]


_MISSING = object()


def _consent(text: str) -> bool | None:
    return None if not text else text in ("1", "yes", "y", "true", "tak", "да", "x", "+")


class _Checker:
    """The check of one file, batch by batch, into a plan and its staging file."""

    def __init__(self, session: Session, plan: Plan, headers: list[str],
                 mapping: dict[int, str], conn: sqlite3.Connection, today: date) -> None:
        self.session = session
        self.plan = plan
        self.conn = conn
        self.today = today
        self.cell = _Cells(mapping)
        self.heading = {f: (headers[i] if i < len(headers) and headers[i] else f)
                        for i, f in mapping.items()}
        self.phone = _PhoneCache()
        self.dates = DateColumn()
        self.failed_phones: list[str] = []
        self.n_failed = 0
        self.phones = 0
        self.new_clients: dict[tuple, ClientData | ValidationError] = {}
        # a purchase's date, amount and quantity as the database stores them (the
        # column types' own conversions), so the write passes them on as they are
        dialect = session.get_bind().dialect
        self.processors = [_bind_processor(Purchase.__table__.c[name], dialect)
                           for name in ("purchased_on", "amount", "quantity")]
        self.store = _ClientStore(dialect)

    def stored(self, *values: Any) -> list[Any]:
        return [v if f is None else f(v) for f, v in zip(self.processors, values, strict=True)]

    # -- recording -----------------------------------------------------------------
    def problems(self, found: list[RowProblem]) -> None:
        plan, counts = self.plan, self.plan.counts
        if not found:
            return
        counts.rejected += 1
        counts.problems += len(found)
        room = PREVIEW_LIMIT - len(plan.problems)
        if room > 0:
            plan.problems.extend(found[:room])
        self.conn.executemany(
            "INSERT INTO problems(row, col, code, value, vals) VALUES (?, ?, ?, ?, ?)",
            [(p.row, p.column, p.code, p.value, json.dumps(p.values, default=str))
             for p in found])

    def unchecked(self, n: int, value: str) -> None:
        self.n_failed += 1
        if len(self.failed_phones) < _HINT_SAMPLE:
            self.failed_phones.append(value)
        self.plan.counts.unchecked += 1
        column = self.heading.get("phone", "phone")
        if len(self.plan.unchecked_phones) < PREVIEW_LIMIT:
            self.plan.unchecked_phones.append(RowProblem(n, column, "phone.unchecked", value))
        self.conn.execute("INSERT INTO phones(row, col, value) VALUES (?, ?, ?)",
                          (n, column, value))

    def row_list(self, kind: str, n: int, kept: list[int]) -> None:
        if len(kept) < PREVIEW_LIMIT:
            kept.append(n)
        self.conn.execute("INSERT INTO rowlists(kind, row) VALUES (?, ?)", (kind, n))

    def bad(self, problems: list[RowProblem], n: int, field_name: str,
            exc: DomainError | FieldError, value: Any) -> None:
        values = dict(getattr(exc, "values", {}) or {})
        values.pop("value", None)
        problems.append(RowProblem(n, self.heading.get(field_name, field_name), exc.code,
                                   _text(value)[:200], values))

    def seen_before(self, keys: set[str]) -> dict[str, tuple[int, str]]:
        out: dict[str, tuple[int, str]] = {}
        for chunk in _batches(sorted(keys), LOOKUP_CHUNK):
            marks = ",".join("?" * len(chunk))
            for key, row, name in self.conn.execute(
                    f"SELECT key, row, name FROM seen WHERE key IN ({marks})", chunk):
                out[key] = (row, name)
        return out

    # -- clients ---------------------------------------------------------------------
    def contact_cells(self, row: list[Any]) -> tuple[str, str, str | None]:
        """The phone (spaces collapsed), e-mail and card number of a row, as typed; the
        phones are counted for the preview."""
        raw_phone = " ".join(_text(self.cell(row, "phone")).split())
        if raw_phone:
            self.phones += 1
        return raw_phone, _text(self.cell(row, "email")), \
            _text(self.cell(row, "card_number")) or None

    def client_row(self, n: int, row: list[Any]):
        cell, problems = self.cell, []
        phone_region = self.plan.phone_region
        raw_phone, raw_email, card = self.contact_cells(row)
        name = " ".join(_text(cell(row, "name")).split()) or " ".join(
            p for p in (_text(cell(row, "first_name")), _text(cell(row, "last_name"))) if p)
        heading = self.heading
        name_field = "name" if "name" in heading else next(
            (f for f in ("first_name", "last_name") if f in heading), "name")
        birthday = None
        raw_bday = cell(row, "birthday")
        if _text(raw_bday):
            try:
                birthday = parse_birthday(raw_bday, self.dates)
            except (DomainError, ValueError, OverflowError):
                self.bad(problems, n, "birthday", DomainError("date.invalid", ""), raw_bday)
        consent = _consent(_text(cell(row, "marketing_consent")).casefold())
        tags = [t.strip() for t in re.split(r"[,;]", _text(cell(row, "tags"))) if t.strip()]
        data = ClientData(
            name=name, phone=raw_phone, phone_unchecked=raw_phone, email=raw_email,
            external_ref=card or "", notes=_text(cell(row, "notes")),
            source_channel=_text(cell(row, "source_channel")), tags=tags,
            marketing_consent=bool(consent),
            marketing_consent_on=self.today if consent else None)
        if birthday:
            data.dates = [PersonalDateData(kind=DateKind.BIRTHDAY, month=birthday[0],
                                           day=birthday[1], year=birthday[2])]
        try:
            data = validate_client(data, phone_region)
        except ValidationError as exc:
            raw = {"name": name, "card_number": card, "phone": raw_phone,
                   "email": raw_email, "tags": cell(row, "tags"), "birthday": raw_bday}
            for e in exc.errors:
                f = "birthday" if e.field.startswith("dates") else _CARD_FIELD.get(
                    e.field, e.field)
                self.bad(problems, n, name_field if f == "name" else f, e, raw.get(f, ""))
        if problems:
            return problems
        phone = data.phone or None
        email = data.email.casefold() if data.email else None
        data.email = email or ""
        client = ClientRow(n, data.name, phone, email, card, birthday, data.notes,
                           data.source_channel or None, data.tags, consent,
                           data.phone_unchecked or None, data)
        digits = phone_digits(phone) or unchecked_digits(data.phone_unchecked)
        keys = [k for k in ((("phone", digits) if digits else None),
                            (("email", email) if email else None),
                            (("card", card.casefold()) if card else None)) if k]
        return client, keys

    def clients(self, batch: list[tuple[int, list[Any]]]) -> None:
        plan, counts = self.plan, self.plan.counts
        checked = []
        for n, row in batch:
            got = self.client_row(n, row)
            if isinstance(got, list):
                self.problems(got)
            else:
                checked.append(got)
        existing = find_clients(self.session, [k for _c, keys in checked for k in keys])
        before = self.seen_before({f"{k}\x1f{v}" for _c, keys in checked for k, v in keys})
        here: dict[str, tuple[int, str]] = {}
        staged, dups, said = [], [], []
        for client, keys in checked:
            n, data = client.row, client.data
            if client.marketing_consent is not None:
                said.append((n,))
            dup = None
            for key in keys:
                hit = existing.get(key)
                if hit:
                    dup = Duplicate(n, hit[0], hit[1], key[0], data.name)
                    break
                text = f"{key[0]}\x1f{key[1]}"
                earlier = here.get(text) or before.get(text)
                if earlier:
                    dup = Duplicate(n, None, earlier[1], key[0], data.name)
                    break
            for key in keys:
                text = f"{key[0]}\x1f{key[1]}"
                if text not in before and text not in here:
                    here[text] = (n, data.name)
            counts.ok += 1
            if len(plan.clients) < PREVIEW_LIMIT:
                plan.clients.append(client)
            if data.phone_unchecked:
                self.unchecked(n, data.phone_unchecked)
            if dup is not None:
                counts.duplicates += 1
                if len(plan.duplicates) < PREVIEW_LIMIT:
                    plan.duplicates.append(dup)
                dups.append((n, dup.client_id or 0, dup.name, dup.by, dup.in_file))
            rec = (self.store.values(client_columns(data)), list(data.tags),
                   list(client.birthday) if client.birthday else None)
            staged.append((n, None if dup is None else (dup.client_id or 0), 0, 0,
                           1 if data.phone_unchecked else 0, marshal.dumps(rec)))
        self.conn.executemany("INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?)", staged)
        self.conn.executemany("INSERT INTO dups VALUES (?, ?, ?, ?, ?)", dups)
        self.conn.executemany("INSERT INTO said VALUES (?)", said)
        self.conn.executemany("INSERT INTO seen VALUES (?, ?, ?)",
                              [(k, n, name) for k, (n, name) in here.items()])

    # -- purchases -------------------------------------------------------------------
    def purchase_row(self, n: int, row: list[Any]):
        cell, problems = self.cell, []
        phone_region = self.plan.phone_region
        raw_phone, raw_email, card = self.contact_cells(row)
        email = phone = unchecked = None
        bad = self.bad
        try:
            email = normalize_email(raw_email)
            email = email.casefold() if email else None
        except DomainError as exc:
            bad(problems, n, "email", exc, raw_email)
        if raw_phone:
            try:
                phone = self.phone(raw_phone, phone_region)
            except DomainError:
                unchecked = raw_phone
        if card and len(card) > 64:
            bad(problems, n, "card_number", DomainError("text.too_long", "", maximum=64), card)
        client_name = " ".join(_text(cell(row, "client_name")).split())
        if len(client_name) > 200:
            bad(problems, n, "client_name", DomainError("text.too_long", "", maximum=200),
                client_name)
        raw_date, raw_amount = cell(row, "date"), cell(row, "amount")
        purchased_on = amount = None
        try:
            purchased_on = self.dates.parse(raw_date)
        except DomainError as exc:
            bad(problems, n, "date", exc if _text(raw_date) else DomainError("date.required", ""),
                raw_date)
        try:
            amount = parse_decimal_text(raw_amount)
        except DomainError as exc:
            bad(problems, n, "amount", exc, raw_amount)
        quantity = Decimal(1)
        raw_quantity = cell(row, "quantity")
        if _text(raw_quantity):
            try:
                quantity = parse_decimal_text(raw_quantity, "quantity")
            except DomainError as exc:
                bad(problems, n, "quantity", exc, raw_quantity)
        item = " ".join(_text(cell(row, "item")).split())
        note = _text(cell(row, "note"))
        if purchased_on is not None and amount is not None:
            try:  # the check the purchase dialog makes, so the row always saves
                checked = validate_purchase(PurchaseData(
                    purchased_on=purchased_on, amount=amount, item=item,
                    quantity=quantity, note=note))
                item = checked.item
            except ValidationError as exc:
                raw = {"purchased_on": raw_date, "amount": raw_amount,
                       "quantity": raw_quantity, "item": item}
                columns = {"purchased_on": "date"}
                for e in exc.errors:
                    if e.code == "date.future_unconfirmed":  # nobody here to confirm it
                        e = FieldError(e.field, "date.future", "a purchase in the future")
                    bad(problems, n, columns.get(e.field, e.field), e, raw.get(e.field, ""))
        digits = phone_digits(phone) or unchecked_digits(unchecked)
        client_keys = [k for k in ((("card", card.casefold()) if card else None),
                                   (("phone", digits) if digits else None),
                                   (("email", email) if email else None)) if k]
        if not client_keys:
            problems.append(RowProblem(n, self.heading.get("card_number", "card_number"),
                                       "import.client_required"))
        return PurchaseRow(n, client_keys[0] if client_keys else ("", ""), client_name,
                           purchased_on, amount, item, quantity, note, "", card, client_keys,
                           phone, email, unchecked, None), raw_phone, problems

    def new_client(self, p: PurchaseRow, raw_phone: str) -> ClientData | ValidationError:
        name = p.client_name or p.card_number or raw_phone or p.email or ""
        memo = (name, raw_phone, p.email, p.card_number)
        got = self.new_clients.get(memo)
        if got is None:  # many purchases of one new client: checked once
            try:
                got = validate_client(ClientData(
                    name=name, phone=raw_phone, phone_unchecked=raw_phone,
                    email=p.email or "", external_ref=p.card_number or ""),
                    self.plan.phone_region)
            except ValidationError as exc:
                got = exc
            if len(self.new_clients) >= _PhoneCache.LIMIT:
                self.new_clients.clear()
            self.new_clients[memo] = got
        return got

    def purchases(self, batch: list[tuple[int, list[Any]]]) -> None:
        plan, counts, conn = self.plan, self.plan.counts, self.conn
        parsed = [self.purchase_row(n, row) for n, row in batch]
        existing = find_clients(self.session, [k for p, _r, problems in parsed
                                               if not problems for k in p.client_keys])
        ready = []
        for p, raw_phone, problems in parsed:
            if not problems and not any(k in existing for k in p.client_keys):
                checked = self.new_client(p, raw_phone)
                if isinstance(checked, ValidationError):
                    for e in checked.errors:
                        f = _CARD_FIELD.get(e.field, e.field)
                        self.bad(problems, p.row, "client_name" if f == "name" else f, e, "")
                else:
                    p.new_client = checked
            if problems:
                self.problems(problems)
            else:
                ready.append(p)
        # which identical line of the file each is: counted over the whole file
        texts = []
        for p in ready:
            texts.append(hashlib.sha1("\x1f".join((
                p.client_key[0], p.client_key[1], p.purchased_on.isoformat(), str(p.amount),
                p.item, str(p.quantity))).encode()).digest()[:16])
        before: dict[bytes, int] = {}
        for chunk in _batches(sorted(set(texts)), LOOKUP_CHUNK):
            marks = ",".join("?" * len(chunk))
            before.update(conn.execute(f"SELECT key, n FROM occ WHERE key IN ({marks})",
                                       chunk))
        counted = dict(before)
        for p, text in zip(ready, texts, strict=True):
            counted[text] = counted.get(text, 0) + 1
            p.import_key = purchase_import_key(p.client_key, p.purchased_on, p.amount, p.item,
                                               p.quantity, counted[text])
        conn.executemany("INSERT OR REPLACE INTO occ VALUES (?, ?)",
                         [(k, v) for k, v in counted.items() if before.get(k) != v])
        known = set()
        for chunk in _batches([p.import_key for p in ready], LOOKUP_CHUNK):
            known.update(self.session.scalars(select(Purchase.import_key)
                                              .where(Purchase.import_key.in_(chunk))))
        new_keys: set[str] = set()
        staged = []
        for p in ready:
            n = p.row
            if p.import_key in known:
                counts.already += 1
                self.row_list("already", n, plan.already_imported)
                continue
            if p.phone_unchecked:
                self.unchecked(n, p.phone_unchecked)
            creates = 0
            if p.new_client is not None:
                counts.unknown += 1
                self.row_list("unknown", n, plan.unknown_clients)
                keys = [f"{k}\x1f{v}" for k, v in p.client_keys]
                marks = ",".join("?" * len(keys))
                if not any(k in new_keys for k in keys) and conn.execute(
                        f"SELECT 1 FROM newkeys WHERE key IN ({marks}) LIMIT 1",
                        keys).fetchone() is None:
                    creates = 1  # the first row of a client the import would make
                    counts.creates += 1
                new_keys.update(keys)
            counts.ok += 1
            if len(plan.purchases) < PREVIEW_LIMIT:
                plan.purchases.append(p)
            c = p.new_client
            hit = next((existing[k] for k in p.client_keys if k in existing), None)
            rec = (hit[0] if hit else 0, [list(k) for k in p.client_keys],
                   (c.name, c.phone, c.phone_unchecked, c.email, c.external_ref)
                   if c is not None else None,
                   *self.stored(p.purchased_on, p.amount, p.quantity), p.item, p.note,
                   p.import_key, p.client_name, p.card_number, p.phone, p.email,
                   p.phone_unchecked)
            staged.append((n, None, 1 if c is not None else 0, creates,
                           1 if creates and c.phone_unchecked else 0, marshal.dumps(rec)))
        conn.executemany("INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?)", staged)
        conn.executemany("INSERT OR IGNORE INTO newkeys VALUES (?)", [(t,) for t in new_keys])


def plan_import(session: Session, table: RawTable, mapping: dict[int, str], kind: str,
                region: str, *, phone_region: str | None = None,
                today: date | None = None, progress: Progress = NO_PROGRESS) -> Plan:
    """What importing ``table`` would do, row by row; nothing is written. Every row is
    checked by the validation that saving it runs (so an import never fails on a row the
    plan accepted). ``phone_region``: the country phones without a country code are
    read in, for this file (default: ``region``, the business's). ``progress`` hears
    the rows checked (:data:`STAGE_CHECK`) every :data:`PROGRESS_BATCH` rows and may
    stop the check there.

    The file is read as a stream, :data:`BATCH` rows at a time: each batch's keys are
    looked up in the database by its indexes, and what the check found is kept in the
    plan's staging file (the plan's lists keep the first :data:`PREVIEW_LIMIT`)."""
    if kind not in KINDS:
        raise DomainError("import.kind", f"unknown kind {kind}")
    check_key_column(table.headers, mapping, kind)
    today = today or date.today()
    phone_region = (phone_region or region).upper()
    plan = Plan(kind, phone_region=phone_region, staging=Staging())
    total = len(table.rows)
    step = max(1, min(BATCH, PROGRESS_BATCH))
    try:
        with closing(plan.staging.connect()) as conn, _bulk():
            checker = _Checker(session, plan, table.headers, mapping, conn, today)
            check = checker.clients if kind == "clients" else checker.purchases
            done = 0
            for batch in _batches(table.numbered(), step):
                progress.report(done, total, STAGE_CHECK)
                progress.check()
                check(batch)
                done += len(batch)
            conn.commit()
    except BaseException:
        plan.staging.close()
        raise
    plan.phone_hint = suggest_phone_region(checker.failed_phones, phone_region,
                                           checker.phones, failed_count=checker.n_failed)
    progress.report(total, total, STAGE_CHECK)
    return plan


# --------------------------------------------------------------------------- writing

@dataclass(frozen=True)
class Report:
    created: int = 0
    merged: int = 0
    skipped: int = 0
    purchases: int = 0
    already_imported: int = 0
    rejected: int = 0
    unknown_skipped: int = 0
    #: clients imported with a number to check
    unchecked_phones: int = 0
    #: clients whose marketing consent the import recorded for the whole file
    consented: int = 0


#: the characters of a consent's source (the consent log's note)
MAX_CONSENT_SOURCE = 200


@dataclass(frozen=True)
class FileConsent:
    """Marketing consent recorded for every client of a file of clients: the day it was
    given and where it comes from ("signed forms at the reception", "the online shop's
    checkbox"), written to the consent log (``consent_events``: the date, the source as
    its note) as a consent changed on the card is. A row whose own consent cell says yes
    or no keeps its answer; a client already there who withdrew consent on or after
    ``given_on`` stays withdrawn (see :func:`consent_count`)."""
    given_on: date
    source: str


def file_consent(given_on: date | None, source: str | None, today: date) -> FileConsent:
    """The consent for a whole file as the user gave it, checked: a source (at most
    :data:`MAX_CONSENT_SOURCE` characters) and a day that is not after ``today``;
    otherwise :class:`ValidationError` naming ``consent_source`` and ``consent_on``."""
    errors = []
    text = " ".join((source or "").split())
    if not text:
        errors.append(FieldError("consent_source", "consent.source_required",
                                 "say where the consent comes from"))
    elif len(text) > MAX_CONSENT_SOURCE:
        errors.append(FieldError("consent_source", "text.too_long",
                                 f"at most {MAX_CONSENT_SOURCE} characters",
                                 {"maximum": MAX_CONSENT_SOURCE}))
    if given_on is None:
        errors.append(FieldError("consent_on", "consent.date_required",
                                 "give the date the consent was given"))
    elif given_on > today:
        errors.append(FieldError("consent_on", "consent.date_future",
                                 f"the consent cannot be given after today ({today})"))
    if errors:
        raise ValidationError(errors)
    return FileConsent(given_on, text)


def check_consent_kind(plan: Plan, consent: FileConsent | None) -> None:
    if consent is not None and plan.kind != "clients":
        raise DomainError("import.consent_kind", "consent for a whole file can be recorded "
                          "for a file of clients only")


def _said(conn: sqlite3.Connection, first: int, last: int) -> set[int]:
    """The rows between ``first`` and ``last`` whose own consent cell says yes or no."""
    return {r for (r,) in conn.execute("SELECT row FROM said WHERE row BETWEEN ? AND ?",
                                       (first, last))}


def consenting(session: Session, client_ids: Iterable[int], given_on: date) -> set[int]:
    """Of clients already in ClientCare whom a file with consent merges into, those the
    consent is recorded for: the ones without consent now who did not withdraw it on or
    after ``given_on`` (a later "no" in the consent log wins over an older "yes"). One
    look-up per :data:`LOOKUP_CHUNK` clients."""
    conn = session.connection()
    out: set[int] = set()
    day = given_on.isoformat()
    for chunk in _batches(sorted(set(client_ids)), LOOKUP_CHUNK):
        marks = ",".join("?" * len(chunk))
        out.update(cid for (cid,) in conn.exec_driver_sql(dialect.placeholders(
            conn, f"SELECT c.id FROM clients c WHERE c.id IN ({marks}) AND NOT "
            "c.marketing_consent AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE "
            "e.client_id = c.id AND NOT e.consent AND e.changed_at >= ?)"), (*chunk, day)))
    return out


def consent_count(session: Session, plan: Plan, consent: FileConsent, *,
                  duplicates: dict[int, str] | None = None,
                  default_duplicates: str = "skip") -> int:
    """How many clients :func:`apply_import` with these choices marks as consenting (what
    the confirmation says before anything is written): the new clients and the merged
    ones (:func:`consenting`) whose row does not say yes or no itself."""
    check_consent_kind(plan, consent)
    if plan.staging is None:
        return 0
    choice = duplicates or {}
    count = 0
    with closing(plan.staging.connect()) as conn:
        for batch in _batches(_staged(plan, conn, "row, dup"), BATCH):
            said = _said(conn, batch[0][0], batch[-1][0])
            merged = []
            for row, dup in batch:
                if row in said:
                    continue
                action = _action(dup, row, choice, default_duplicates)
                if action == "new":
                    count += 1
                elif action == "merge":
                    merged.append(dup)
            count += len(consenting(session, merged, consent.given_on))
    return count


def _action(dup: int | None, row: int, choice: dict[int, str], default: str) -> str:
    """"new", "merge" or "skip" for a staged client row (``dup``: None, not a duplicate;
    0, of an earlier row of the file; else the existing client's id)."""
    if dup is None:
        return "new"
    action = choice.get(row, default)
    if action == "merge" and not dup:
        action = "new"  # an earlier row of the file is not in ClientCare yet
    return action


def _staged(plan: Plan, conn: sqlite3.Connection, columns: str = "row, dup, unknown, "
            "creates, unchecked, rec") -> Iterator[tuple]:
    last = -1
    while True:
        got = conn.execute(f"SELECT {columns} FROM staged WHERE row > ? ORDER BY row "
                           "LIMIT ?", (last, BATCH)).fetchall()
        if not got:
            return
        yield from got
        last = got[-1][0]


def predict_report(plan: Plan, *, duplicates: dict[int, str] | None = None,
                   create_unknown: bool = False, default_duplicates: str = "skip") -> Report:
    """The report :func:`apply_import` gives for ``plan`` with these choices, without
    writing anything (``--dry-run`` prints it)."""
    choice = duplicates or {}
    counts = plan.counts
    created = merged = skipped = unchecked = 0
    if plan.kind == "clients" and plan.staging is not None:
        with closing(plan.staging.connect()) as conn:
            for row, dup, flag in _staged(plan, conn, "row, dup, unchecked"):
                action = _action(dup, row, choice, default_duplicates)
                if action == "skip":
                    skipped += 1
                    continue
                if action == "merge":
                    merged += 1
                else:
                    created += 1
                unchecked += flag
        return Report(created, merged, skipped, 0, counts.already, counts.rejected, 0,
                      unchecked)
    if create_unknown:
        if plan.staging is not None:
            with closing(plan.staging.connect()) as conn:
                unchecked = conn.execute("SELECT count(*) FROM staged WHERE unchecked = 1"
                                         ).fetchone()[0]
        return Report(counts.creates, 0, 0, counts.ok, counts.already, counts.rejected, 0,
                      unchecked)
    return Report(0, 0, 0, counts.ok - counts.unknown, counts.already, counts.rejected,
                  counts.unknown, 0)


@dataclass
class NewClient:
    """A client the write inserts: its row's columns (:class:`_ClientStore`), tags and
    birthday (month, day, year)."""
    row: int
    values: tuple
    tags: list[str] = field(default_factory=list)
    birthday: list | tuple | None = None
    #: the consent log's note of its consent (the source of a consent for the whole file)
    consent_note: str = ""

    @property
    def card(self) -> str | None:
        return self.values[_CARD]


_CARD = _CLIENT_INSERT.index("external_ref")


class _Writer:
    """The write of a plan in the caller's transaction: Core ``insert()`` executemany,
    :data:`BATCH` rows at a time, new ids given in order after the largest."""

    def __init__(self, session: Session, plan: Plan, conn: sqlite3.Connection, region: str,
                 today: date, progress: Progress, consent: FileConsent | None = None) -> None:
        self.session = session
        self.plan = plan
        self.conn = conn
        self.region = region
        self.today = today
        self.progress = progress
        self.total = plan.counts.ok
        self.done = 0
        self.on_server = session.get_bind().dialect.name == "postgresql"
        self.next_id = (None if self.on_server
                        else (session.scalar(select(func.max(Client.id))) or 0) + 1)
        self.store = _ClientStore(session.get_bind().dialect)
        self.birthday = _bind_processor(PersonalDate.__table__.c.kind,
                                        session.get_bind().dialect)(DateKind.BIRTHDAY)
        self.tag_ids: dict[str, int] = {}
        self.consent = consent
        if consent is not None:  # the two columns as stored, for every consenting row
            dialect = session.get_bind().dialect
            yes, on = (_bind_processor(Client.__table__.c[name], dialect)
                       for name in ("marketing_consent", "marketing_consent_on"))
            self.consent_values = (yes(True) if yes else True,
                                   on(consent.given_on) if on else consent.given_on)
        #: clients whose consent the file's consent recorded
        self.consented = 0
        #: scope the bulk writes to the clients written (the window then updates those
        #: rows); a big import announces "clients" instead of naming every one
        self.scope = self.total <= SCOPED_ROWS

    def step(self) -> None:
        if self.done % PROGRESS_BATCH == 0:
            self.progress.report(self.done, self.total, STAGE_ROWS)
            self.progress.check()
        self.done += 1

    def insert(self, table, rows: list[dict], ids: Iterable[int]) -> None:
        if not rows:
            return
        with changes.scoped(self.session, list(ids) if self.scope else None):
            self.session.execute(insert(table), rows)

    def touch(self, ids: Iterable[int]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO touched VALUES (?)",
                              [(i,) for i in ids])

    def taken_cards(self, cards: Iterable[str]) -> set[str]:
        taken: set[str] = set()
        for chunk in _batches(sorted(set(cards)), LOOKUP_CHUNK):
            taken.update(self.session.scalars(select(Client.external_ref)
                                              .where(Client.external_ref.in_(chunk))))
        return taken

    def new_ids(self, n: int) -> list[int]:
        """Ids for ``n`` new clients. On a server they come from the table's sequence
        (another desk may add a client meanwhile, and the next one typed in must not
        get an id the import took); a SQLite file has one writer, so they follow the
        largest."""
        if self.on_server:
            return list(self.session.scalars(sql_text(
                "SELECT nextval(pg_get_serial_sequence('clients', 'id')) "
                "FROM generate_series(1, :n)"), {"n": n}))
        first = self.next_id
        self.next_id += n
        return list(range(first, first + n))

    def new_client_rows(self, items: list[NewClient]) -> list[int]:
        """Insert new clients (already checked) with their birthday, tags and consent;
        returns their ids (:meth:`new_ids`)."""
        rows, dates, consents, links, ids = [], [], [], [], []
        tag_names = {t.casefold(): t for item in items for t in item.tags}
        missing = [k for k in tag_names if k not in self.tag_ids]
        for chunk in _batches(missing, LOOKUP_CHUNK):
            self.tag_ids.update({k: i for i, k in self.session.execute(
                select(Tag.id, Tag.key).where(Tag.key.in_(chunk)))})
        for key in missing:
            if key not in self.tag_ids:
                self.tag_ids[key] = self.session.execute(insert(Tag).values(
                    name=tag_names[key], key=key)).inserted_primary_key[0]
        names = ("id", *_CLIENT_INSERT)
        for item, cid in zip(items, self.new_ids(len(items)), strict=True):
            ids.append(cid)
            rows.append(dict(zip(names, (cid, *item.values), strict=True)))
            if item.birthday:
                month, day, year = item.birthday
                dates.append({"client_id": cid, "kind": self.birthday, "month": month,
                              "day": day, "year": year})
            if item.values[_CONSENT]:
                consents.append({"client_id": cid, "consent": item.values[_CONSENT],
                                 "consent_on": item.values[_CONSENT_ON],
                                 "note": item.consent_note})
            for key in dict.fromkeys(t.casefold() for t in item.tags):
                links.append({"client_id": cid, "tag_id": self.tag_ids[key]})
        self.insert(_CLIENT_ROWS, rows, ids)
        self.insert(_DATE_ROWS, dates, ids)
        self.insert(_CONSENT_ROWS, consents, ids)
        self.insert(client_tags, links, ids)
        return ids

    # -- clients ---------------------------------------------------------------------
    def merge(self, row: int, dup: int, columns: dict[str, Any],
              birthday: list | None, consent: bool = False) -> int:
        """Fill the empty fields of client ``dup`` from a row; ``consent``: record the
        file's consent for them (:func:`consenting` chose them)."""
        card, phone, unchecked = (columns["external_ref"], columns["phone"],
                                  columns["phone_unchecked"])
        email, notes = columns["email"], columns["notes"]
        session = self.session
        c = session.get(Client, dup)
        if c is None:
            raise DomainError("import.row_failed", f"row {row}: the client was deleted",
                              row=row, field="name", detail="client.not_found")
        if not c.phone and phone:
            c.phone, c.phone_digits, c.phone_unchecked = phone, phone_digits(phone), None
        elif not c.phone and not c.phone_unchecked and unchecked:
            c.phone_unchecked = unchecked
            c.phone_digits = unchecked_digits(unchecked)
        if not c.email and email:
            c.email = email
        if not c.external_ref and card and not self.taken_cards([card]):
            c.external_ref = card
        if notes and notes not in c.notes:
            c.notes = f"{c.notes}\n{notes}".strip()
        if birthday and not session.scalar(select(PersonalDate.id).where(
                PersonalDate.client_id == c.id, PersonalDate.relative_id.is_(None),
                PersonalDate.kind == DateKind.BIRTHDAY)):
            session.add(PersonalDate(client_id=c.id, kind=DateKind.BIRTHDAY,
                                     month=birthday[0], day=birthday[1], year=birthday[2]))
        c.search_text = search_text_for(c.name, c.email, c.external_ref, c.notes,
                                        c.preferences)
        if consent:  # the client object is the merge's already; the log row goes in bulk
            c.marketing_consent, c.marketing_consent_on = True, self.consent.given_on
        return c.id

    def clients(self, choice: dict[int, str], default: str) -> tuple[int, int, int, int]:
        created = merged = skipped = unchecked = 0
        consent = self.consent
        consented: set[int] = set()  # merged clients given the file's consent so far
        for batch in _batches(_staged(self.plan, self.conn), BATCH):
            new: list[NewClient] = []
            merged_ids = []
            said: set[int] = set()
            merging: set[int] = set()
            events: list[dict] = []
            if consent is not None:
                said = _said(self.conn, batch[0][0], batch[-1][0])
                merging = consenting(self.session, [
                    dup for row, dup, *_r in batch if row not in said
                    and _action(dup, row, choice, default) == "merge"],
                    consent.given_on) - consented
            for row, dup, _u, _c, flag, blob in batch:
                self.step()
                action = _action(dup, row, choice, default)
                if action == "skip":
                    skipped += 1
                    continue
                values, tags, birthday = marshal.loads(blob)
                unchecked += flag
                if action == "merge":
                    give = dup in merging and dup not in consented
                    merged_ids.append(self.merge(row, dup, dict(zip(_CLIENT_INSERT, values,
                                                                    strict=True)), birthday,
                                                 give))
                    merged += 1
                    if give:
                        consented.add(dup)
                        events.append({"client_id": dup, "consent": self.consent_values[0],
                                       "consent_on": self.consent_values[1],
                                       "note": consent.source})
                    continue
                item = NewClient(row, values, tags, birthday)
                if consent is not None and row not in said:
                    item.values = (values[:_CONSENT] + self.consent_values
                                   + values[_CONSENT_ON + 1:])
                    item.consent_note = consent.source
                    self.consented += 1
                new.append(item)
            taken = self.taken_cards(c.card for c in new if c.card)
            for item in new:
                if item.card and item.card in taken:  # another client has it: without it
                    columns = dict(zip(_CLIENT_INSERT, item.values, strict=True))
                    columns["external_ref"] = None
                    columns["search_text"] = search_text_for(
                        columns["name"], columns["email"], None, columns["notes"],
                        _DEFAULT_COLUMNS["preferences"])
                    item.values = tuple(columns.values())
                elif item.card:
                    taken.add(item.card)
            self.touch(self.new_client_rows(new))
            self.touch(merged_ids)
            self.insert(_CONSENT_ROWS, events, [e["client_id"] for e in events])
            self.consented += len(events)
            created += len(new)
        if merged:
            self.session.flush()
        return created, merged, skipped, unchecked

    # -- purchases -------------------------------------------------------------------
    def live_clients(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` that are clients still (not in the Trash, not erased)."""
        conn = self.session.connection()
        live: set[int] = set()
        for chunk in _batches(sorted(set(ids)), LOOKUP_CHUNK):
            marks = ",".join("?" * len(chunk))
            live.update(cid for cid, deleted, erased in conn.exec_driver_sql(
                dialect.placeholders(conn, "SELECT id, deleted_at, erased_at FROM clients "
                                     f"WHERE id IN ({marks})"),
                tuple(chunk)) if deleted is None and erased is None)
        return live

    def purchases(self, create_unknown: bool) -> tuple[int, int, int, int]:
        """Each purchase goes to the client the check found for it (when it is still
        there); the others look for their client again (one made by an earlier row of
        this import, say), or make it when asked."""
        with chart_store.purchase_batch(self.session.connection()) as charts:
            return self._purchases(create_unknown, charts)

    def _purchases(self, create_unknown: bool,
                   charts: chart_store.PurchaseBatch) -> tuple[int, int, int, int]:
        created = count = unknown_skipped = unchecked = 0
        for batch in _batches(_staged(self.plan, self.conn), BATCH):
            recs = [(row, marshal.loads(blob)) for row, *_f, blob in batch]
            live = self.live_clients(rec[0] for _r, rec in recs if rec[0])
            index = find_clients(self.session, [tuple(k) for _r, rec in recs
                                                if rec[0] not in live for k in rec[1]])
            new: list[NewClient] = []
            entries: list[tuple[int, tuple]] = []  # client id (< 0: a new one), purchase
            for row, rec in recs:
                self.step()
                if rec[0] in live:
                    entries.append((rec[0], rec))
                    continue
                keys = [tuple(k) for k in rec[1]]
                hit = next((index[k] for k in keys if k in index), None)
                if hit is None:
                    if not create_unknown:
                        unknown_skipped += 1
                        continue
                    data = self.client_of(row, rec)
                    hit = (-1 - len(new), data.name)  # its place among the batch's new
                    new.append(NewClient(row, self.store.values(client_columns(data))))
                    for k in keys:
                        index[k] = hit
                    created += 1
                    unchecked += bool(data.phone_unchecked)
                entries.append((hit[0], rec))
            new_ids: list[int] = []
            if new:
                cards = {c.card: c.row for c in new if c.card}
                for card in self.taken_cards(cards):
                    raise DomainError("import.row_failed", f"row {cards[card]}: this number "
                                      "belongs to another client", row=cards[card],
                                      field="external_ref", detail="external_ref.taken")
                new_ids = self.new_client_rows(new)
            ids = [cid if cid > 0 else new_ids[-1 - cid] for cid, _rec in entries]
            rows = [{"client_id": cid, "purchased_on": rec[3], "amount": rec[4],
                     "quantity": rec[5], "item": rec[6], "note": rec[7], "import_key": rec[8]}
                    for cid, (_c, rec) in zip(ids, entries, strict=True)]
            self.insert(_PURCHASE_ROWS, rows, ids)
            charts.wrote(rows)
            self.touch(ids)
            count += len(rows)
        return created, count, unknown_skipped, unchecked

    def client_of(self, row: int, rec: tuple) -> ClientData:
        """The client an unknown client's purchase creates: as the check found it, or
        (a client known then, gone since) checked now."""
        if rec[2] is not None:
            name, phone, phone_unchecked, email, card = rec[2]
            return ClientData(name=name, phone=phone, phone_unchecked=phone_unchecked,
                              email=email, external_ref=card)
        client_name, card, phone, email, unchecked = rec[9:14]
        data = ClientData(name=client_name or card or phone or unchecked or email or "",
                          phone=phone or unchecked or "", phone_unchecked=unchecked or "",
                          email=email or "", external_ref=card or "")
        try:
            return validate_client(data, self.plan.phone_region or self.region)
        except ValidationError as exc:
            e = exc.errors[0]
            raise DomainError("import.row_failed", f"row {row}: {e.message}", row=row,
                              field=e.field, detail=e.code) from exc

    # -- after the rows ----------------------------------------------------------------
    def touched(self) -> Iterator[list[int]]:
        """The clients written (and regrouped), :data:`REFRESH_BATCH` at a time."""
        last = 0
        while True:
            ids = [i for (i,) in self.conn.execute(
                "SELECT id FROM touched WHERE id > ? ORDER BY id LIMIT ?",
                (last, REFRESH_BATCH))]
            if not ids:
                return
            yield ids
            last = ids[-1]

    def refresh(self) -> None:
        """The figures of the clients the import wrote; then the A/B/C groups, as the
        start of a day makes them (``refresh_values``: the 12-month values moved to
        today, then ``segments.assign_segments``, which regroups the clients written and
        those the shares' lines passed over: a group is a place in the ranking of every
        client); then the schedule of the clients written and of those regrouped (an A
        client gets keep-in-touch calls). In bulk, a chunk of clients at a time."""
        total = self.conn.execute("SELECT count(*) FROM touched").fetchone()[0]
        if not total:
            return
        self.progress.report(0, None, STAGE_SCHEDULE)
        done = 0
        for ids in self.touched():
            refresh_client_stats(self.session, ids, today=self.today)
            done += len(ids)
            self.progress.report(done, 2 * total, STAGE_SCHEDULE)
            self.progress.check()
        regrouped = refresh_values(self.session, self.today).regrouped
        settings_service.put(self.session, STATS_AS_OF, self.today.isoformat())
        self.touch(regrouped)
        steps = total + self.conn.execute("SELECT count(*) FROM touched").fetchone()[0]
        for ids in self.touched():
            schedule.regenerate(self.session, self.today, client_ids=ids)
            done += len(ids)
            self.progress.report(done, steps, STAGE_SCHEDULE)
            self.progress.check()


def apply_import(session: Session, plan: Plan, region: str, *,
                 duplicates: dict[int, str] | None = None, create_unknown: bool = False,
                 today: date | None = None, progress: Progress = NO_PROGRESS,
                 default_duplicates: str = "skip",
                 consent: FileConsent | None = None) -> Report:
    """Write the plan in the caller's transaction (all or nothing). ``duplicates`` maps
    a duplicate row to "merge" (fill the existing client's empty fields), "skip" or
    "new" (a separate client); a duplicate it does not name gets ``default_duplicates``.
    The rows are the ones the check accepted, read back from the plan's staging file
    (not checked again) and written :data:`BATCH` at a time through Core ``insert()``;
    should a row still fail, the error names it. ``progress`` hears the rows written
    (:data:`STAGE_ROWS`) every :data:`PROGRESS_BATCH` rows, then the schedule of the
    imported clients being made (:data:`STAGE_SCHEDULE`); its ``check`` may stop the
    import there (:class:`~app.progress.Cancelled`: the caller's transaction rolls
    back, so nothing is kept). ``consent``: marketing consent for every client of a file
    of clients whose row does not say yes or no itself (:class:`FileConsent`), recorded
    with the rows, in bulk, in the consent log; the report counts them (``consented``).

    Then the figures, the A/B/C groups and the calls of the clients written are made
    (:meth:`_Writer.refresh`), so the groups are there at once, as the next start of a
    day would make them."""
    today = today or date.today()
    check_consent_kind(plan, consent)
    if plan.staging is None:  # nothing was checked
        return Report(0, 0, 0, 0, plan.counts.already, plan.counts.rejected, 0, 0)
    with closing(plan.staging.connect()) as conn, _bulk():
        conn.execute("DELETE FROM touched")
        writer = _Writer(session, plan, conn, plan.phone_region or region, today, progress,
                         consent)
        created = merged = skipped = n_purchases = unknown_skipped = unchecked = 0
        if plan.kind == "clients":
            created, merged, skipped, unchecked = writer.clients(duplicates or {},
                                                                 default_duplicates)
        else:
            created, n_purchases, unknown_skipped, unchecked = writer.purchases(
                create_unknown)
        progress.report(writer.total, writer.total, STAGE_ROWS)
        progress.check()
        writer.refresh()
        progress.check()
        conn.commit()
    return Report(created, merged, skipped, n_purchases, plan.counts.already,
                  plan.counts.rejected, unknown_skipped, unchecked, writer.consented)


# --------------------------------------------------------------------------- remembered mappings

def remembered_mapping(session: Session, table: RawTable, kind: str) -> dict[int, str] | None:
    saved = json.loads(settings_service.get(session, "import.mappings") or "{}")
    got = saved.get(f"{kind}:{signature(table.headers)}")
    if not got:
        return None
    fields = CLIENT_FIELDS if kind == "clients" else PURCHASE_FIELDS
    return {int(i): f for i, f in got.items() if f in fields and int(i) < len(table.headers)}


def remember_mapping(session: Session, table: RawTable, kind: str,
                     mapping: dict[int, str]) -> None:
    saved = json.loads(settings_service.get(session, "import.mappings") or "{}")
    saved[f"{kind}:{signature(table.headers)}"] = {str(i): f for i, f in mapping.items()}
    settings_service.put(session, "import.mappings", json.dumps(saved, ensure_ascii=False))
