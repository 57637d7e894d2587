"""Data in: clients and purchases from CSV, XLSX and vCard files.

The way through an import (the wizard and ``clientcare import`` share it):

1. :func:`read_table` reads the file into a :class:`RawTable`. CSV: the encoding is
   found (UTF-8 with or without a BOM; else cp1251, the Russian and Bulgarian Excel
   export, or cp1250, the Polish one, whichever reads as more letters of its alphabet)
   and the delimiter (``;``, ``,``, tab or ``|``). XLSX: the first sheet (openpyxl).
   vCard (2.1, 3.0, 4.0): one row per card with name, phone, e-mail and birthday.
2. :func:`guess_mapping` proposes which column is which field, from headings in
   English, Polish, Russian and Bulgarian; the user corrects it.
3. :func:`plan_import` checks every row and says what would happen: rows rejected with
   row, column and reason; duplicates of existing clients (same phone, e-mail or card
   number) to merge or skip; purchases whose client is unknown.
4. :func:`apply_import` writes the rows the user confirmed, all or nothing (one
   transaction). A purchase remembers a key of its row, so importing the same file again
   adds nothing twice.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import json
import math
import quopri
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import charset_normalizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError, FieldError, ValidationError
from app.models import Client, PersonalDate, Purchase
from app.models.enums import DateKind
from app.progress import NO_PROGRESS, Progress
from app.services import schedule
from app.services import settings as settings_service
from app.services.clients import (
    ClientData,
    PersonalDateData,
    PurchaseData,
    refresh_client_stats,
    save_client,
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

# Reading is bounded, so no file can freeze the window or fill the memory: each limit is
# named in the message that refuses a file, with the row where it was passed.
MAX_ROWS = 200_000          #: rows of data in one file
MAX_COLUMNS = 1_000         #: columns in one row
MAX_CELL_CHARS = 100_000    #: characters in one cell
MAX_LINE_CHARS = 2_000_000  #: characters in one line of a CSV or vCard file
MAX_CELLS = 5_000_000       #: filled cells in one file (about 300 MB in memory)
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
PROGRESS_BATCH = 250
#: what an import is doing, as the ``text`` of its progress reports (the window and the
#: command line put them in words)
STAGE_CHECK = "import.check"
STAGE_BACKUP = "import.backup"
STAGE_ROWS = "import.rows"
STAGE_SCHEDULE = "import.schedule"


@dataclass
class RawTable:
    headers: list[str]
    rows: list[list[Any]]
    encoding: str | None = None
    delimiter: str | None = None
    source: str = "csv"  # csv, xlsx, vcard
    #: the row number of each row as a spreadsheet shows it (blank rows are skipped)
    numbers: list[int] | None = None
    #: the row the headings were found on (1 unless a title is above them)
    header_row: int = 1

    def number(self, index: int) -> int:
        return self.numbers[index] if self.numbers else index + 2


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
    business's country, settles an encoding two of them would read alike."""
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


def _read_csv(path: Path, encoding: str, delimiter: str, header_row: int | None) -> RawTable:
    lines = _Lines(path, encoding)
    numbered: list[tuple[int, list[str]]] = []
    cells = 0
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
            cells += _check_row(path, row, record, len(numbered), cells)
            numbered.append((row, [_undefused(c) for c in record]))
    finally:
        csv.field_size_limit(old_limit)
    table = _table(path, numbered, header_row, "csv")
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


_DEFUSED = re.compile(r"'(?=[=+\-@\t\r])")


def _undefused(cell: str) -> str:
    """A CSV cell that an export (ours or Excel's) wrote as "'+48 601…" or "'=…", so that
    a spreadsheet keeps it as text, is read back as the text itself."""
    return _DEFUSED.sub("", cell, count=1) if cell.startswith("'") else cell


def _strings(row: list[Any]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in row]


def _table(path: Path, numbered: list[tuple[int, list[Any]]], header_row: int | None,
           source: str) -> RawTable:
    if not numbered:
        raise _refuse("import.empty", "the file is empty", path)
    if header_row is not None:
        at = next((i for i, (n, _r) in enumerate(numbered) if n == header_row), None)
        if at is None:
            raise _refuse("import.header_row", f"row {header_row} is empty or not in the "
                          "file", path, row=header_row)
    else:
        at = find_header_row(numbered)
    headers = [" ".join(h.split()) for h in _strings(numbered[at][1])]
    width = len(headers)
    body = numbered[at + 1:]
    rows = [list(r) + [""] * (width - len(r)) for _n, r in body]
    if not rows:
        raise _refuse("import.empty", "no rows below the headings", path)
    return RawTable(headers, rows, None, None, source, [n for n, _r in body],
                    numbered[at][0])


def _read_xlsx(path: Path, header_row: int | None) -> RawTable:
    from openpyxl import load_workbook  # lazy: openpyxl takes a while to import
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.file_size > MAX_XLSX_PART_BYTES:
                    raise _refuse("import.xlsx_too_big", f"{info.filename} is too big",
                                  path, maximum=MAX_XLSX_PART_BYTES // 1_000_000)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse("import.xlsx_unreadable", "not an Excel workbook", path) from exc
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise _refuse("import.xlsx_unreadable", f"not an Excel workbook: {exc}",
                      path) from exc
    numbered: list[tuple[int, list[Any]]] = []
    cells = 0
    row = 0
    try:
        if not wb.worksheets:
            raise _refuse("import.xlsx_no_sheet", "the workbook has no sheet", path)
        ws = wb.worksheets[0]
        # the sheet's stated size is often wrong (and would hide the rows beyond it):
        # read every row the sheet has
        ws.reset_dimensions()
        for row, values in enumerate(ws.iter_rows(values_only=True), start=1):
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
            cells += _check_row(path, row, record, len(numbered), cells)
            numbered.append((row, record))
    except DomainError:
        raise
    except Exception as exc:  # a damaged sheet fails in many ways
        raise _refuse("import.xlsx_damaged", f"row {row + 1}: damaged ({exc})", path,
                      row=row + 1) from exc
    finally:
        wb.close()
    return _table(path, numbered, header_row, "xlsx")


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


def parse_vcards(text: str | Iterable[str]) -> list[dict[str, str]]:
    """Cards as dicts with name, phone, email, birthday (as written), notes. Raises
    DomainError (with the line) for a quoted-printable value that is not text in the
    character set it names, and for more than :data:`MAX_ROWS` cards."""
    lines = _NEWLINES.split(text) if isinstance(text, str) else text
    cards: list[dict[str, str]] = []
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
                if len(cards) >= MAX_ROWS:
                    raise DomainError("import.too_big", f"line {n}: more than {MAX_ROWS} "
                                      "cards", row=n, maximum=MAX_ROWS)
                cards.append(card)
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
    return cards


VCARD_HEADERS = ["name", "phone", "email", "birthday", "notes"]


def vcards_table(text: str | Iterable[str], encoding: str | None = None) -> RawTable:
    cards = parse_vcards(text)
    return RawTable(list(VCARD_HEADERS), [[c.get(h, "") for h in VCARD_HEADERS]
                                          for c in cards], encoding, None, "vcard")


def _read_vcards(path: Path, encoding: str) -> RawTable:
    lines = _Lines(path, encoding, count_lines=True)
    try:
        table = vcards_table((ln.lstrip("\ufeff") for ln in lines), encoding)
    except DomainError as exc:
        if "path" not in exc.values:
            raise _refuse(exc.code, exc.message, path, **exc.values) from None
        raise
    if not table.rows:
        raise _refuse("import.empty", "no cards in the file", path)
    return table


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
class Plan:
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
    #: the client keys already in ClientCare when the plan was made
    known_keys: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @property
    def rows_ok(self) -> int:
        return len(self.clients) + len(self.purchases)


_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%y", "%Y.%m.%d",
                 "%Y/%m/%d", "%Y%m%d")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d\d-\d\dT", text) else text
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= d.year <= 2100:
            return d
    raise DomainError("date.invalid", f"not a date: {text}", value=text)


def parse_birthday(value: Any) -> tuple[int, int, int | None]:
    """A full date, or a day without the year (vCard ``--MMDD`` / ``--MM-DD``, or
    ``dd.mm``)."""
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
    d = parse_date(text)
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


def _existing_index(session: Session) -> dict[tuple[str, str], tuple[int, str]]:
    index: dict[tuple[str, str], tuple[int, str]] = {}
    for cid, name, digits, email, ref in session.execute(
            select(Client.id, Client.name, Client.phone_digits, Client.email,
                   Client.external_ref).where(Client.deleted_at.is_(None),
                                              Client.erased_at.is_(None))):
        if digits:
            index.setdefault(("phone", digits), (cid, name))
        if email:
            index.setdefault(("email", email.casefold()), (cid, name))
        if ref:
            index.setdefault(("card", unicodedata.normalize("NFC", ref).casefold()),
                             (cid, name))
    return index


#: countries a file's phones are tried in when they are not numbers of the business's
#: country (neighbours and the countries clients of PL, RU and BG businesses come from)
PHONE_REGIONS = ("PL", "RU", "BG", "UA", "BY", "KZ", "DE", "CZ", "SK", "LT", "LV", "EE",
                 "RO", "MD", "GE", "AM", "AZ", "UZ", "RS", "MK", "GR", "TR", "GB", "IE",
                 "FR", "ES", "IT", "NL", "AT", "CH", "IL", "US")
_HINT_SAMPLE = 300


def suggest_phone_region(failed: list[str], region: str, total: int) -> PhoneHint | None:
    """When most of ``total`` phones failed in ``region``, the country most of the failed
    ones (a sample of them) are valid numbers of; None when there is none."""
    if not failed or len(failed) * 2 <= total:
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
    return PhoneHint(best[1], len(failed), total, best[0], len(sample))


#: the field of the client's card that holds each column's value
_CARD_FIELD = {"name": "name", "external_ref": "card_number", "phone": "phone",
               "email": "email", "tags": "tags", "marketing_consent_on": "marketing_consent",
               "source_channel": "source_channel", "notes": "notes"}


def plan_import(session: Session, table: RawTable, mapping: dict[int, str], kind: str,
                region: str, *, phone_region: str | None = None,
                today: date | None = None, progress: Progress = NO_PROGRESS) -> Plan:
    """What importing ``table`` would do, row by row; nothing is written. Every row is
    checked by the validation that saving it runs (so an import never fails on a row the
    plan accepted). ``phone_region``: the country phones without a country code are
    read in, for this file (default: ``region``, the business's). ``progress`` hears
    the rows checked (:data:`STAGE_CHECK`) every :data:`PROGRESS_BATCH` rows and may
    stop the check there."""
    if kind not in KINDS:
        raise DomainError("import.kind", f"unknown kind {kind}")
    check_key_column(table.headers, mapping, kind)
    today = today or date.today()
    phone_region = (phone_region or region).upper()
    plan = Plan(kind, phone_region=phone_region)
    heading = {f: (table.headers[i] if i < len(table.headers) and table.headers[i] else f)
               for i, f in mapping.items()}
    existing = _existing_index(session)
    plan.known_keys = set(existing)
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    occurrence: dict[str, int] = {}
    keys = set(session.scalars(select(Purchase.import_key)
                               .where(Purchase.import_key.is_not(None)))) \
        if kind == "purchases" else set()
    failed_phones: list[str] = []
    phones = 0
    new_clients: dict[tuple, ClientData | ValidationError] = {}
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        if index % PROGRESS_BATCH == 0:
            progress.report(index, total, STAGE_CHECK)
            progress.check()
        n = table.number(index)
        problems: list[RowProblem] = []

        def bad(field_name: str, exc: DomainError | FieldError, value: Any, n: int = n,
                problems: list[RowProblem] = problems) -> None:
            values = dict(getattr(exc, "values", {}) or {})
            values.pop("value", None)
            problems.append(RowProblem(n, heading.get(field_name, field_name), exc.code,
                                       _text(value)[:200], values))

        raw_phone = " ".join(_text(_cell(row, mapping, "phone")).split())
        raw_email = _text(_cell(row, mapping, "email"))
        card = _text(_cell(row, mapping, "card_number")) or None
        if raw_phone:
            phones += 1
        if kind == "clients":
            name = " ".join(_text(_cell(row, mapping, "name")).split()) or " ".join(
                p for p in (_text(_cell(row, mapping, "first_name")),
                            _text(_cell(row, mapping, "last_name"))) if p)
            name_field = "name" if "name" in heading else next(
                (f for f in ("first_name", "last_name") if f in heading), "name")
            birthday = None
            raw_bday = _cell(row, mapping, "birthday")
            if _text(raw_bday):
                try:
                    birthday = parse_birthday(raw_bday)
                except (DomainError, ValueError, OverflowError):
                    bad("birthday", DomainError("date.invalid", ""), raw_bday)
            consent_text = _text(_cell(row, mapping, "marketing_consent")).casefold()
            consent = None if not consent_text else consent_text in (
                "1", "yes", "y", "true", "tak", "да", "x", "+")
            tags = [t.strip() for t in re.split(r"[,;]", _text(_cell(row, mapping, "tags")))
                    if t.strip()]
            data = ClientData(
                name=name, phone=raw_phone, phone_unchecked=raw_phone, email=raw_email,
                external_ref=card or "", notes=_text(_cell(row, mapping, "notes")),
                source_channel=_text(_cell(row, mapping, "source_channel")), tags=tags,
                marketing_consent=bool(consent),
                marketing_consent_on=today if consent else None)
            if birthday:
                data.dates = [PersonalDateData(kind=DateKind.BIRTHDAY, month=birthday[0],
                                               day=birthday[1], year=birthday[2])]
            try:
                data = validate_client(data, phone_region)
            except ValidationError as exc:
                raw = {"name": name, "card_number": card, "phone": raw_phone,
                       "email": raw_email, "tags": _cell(row, mapping, "tags"),
                       "birthday": raw_bday}
                for e in exc.errors:
                    f = "birthday" if e.field.startswith("dates") else _CARD_FIELD.get(
                        e.field, e.field)
                    bad(name_field if f == "name" else f, e, raw.get(f, ""))
            if problems:
                plan.problems.extend(problems)
                continue
            phone = data.phone or None
            email = data.email.casefold() if data.email else None
            if data.phone_unchecked:
                failed_phones.append(data.phone_unchecked)
                plan.unchecked_phones.append(RowProblem(n, heading.get("phone", "phone"),
                                                        "phone.unchecked",
                                                        data.phone_unchecked))
            data.email = email or ""
            plan.clients.append(ClientRow(n, data.name, phone, email, card, birthday,
                                          data.notes, data.source_channel or None,
                                          data.tags, consent, data.phone_unchecked or None,
                                          data))
            digits = phone_digits(phone) or unchecked_digits(data.phone_unchecked)
            row_keys = [k for k in ((("phone", digits) if digits else None),
                                    (("email", email) if email else None),
                                    (("card", card.casefold()) if card else None)) if k]
            for key in row_keys:
                hit = existing.get(key)
                if hit:
                    plan.duplicates.append(Duplicate(n, hit[0], hit[1], key[0]))
                    break
                if key in seen:
                    plan.duplicates.append(Duplicate(n, None, seen[key][1], key[0]))
                    break
            for key in row_keys:
                seen.setdefault(key, (n, data.name))
        else:
            email = phone = unchecked = None
            try:
                email = normalize_email(raw_email)
                email = email.casefold() if email else None
            except DomainError as exc:
                bad("email", exc, raw_email)
            if raw_phone:
                try:
                    phone = normalize_phone(raw_phone, phone_region)
                except DomainError:
                    unchecked = raw_phone
            if card and len(card) > 64:
                bad("card_number", DomainError("text.too_long", "", maximum=64), card)
            client_name = " ".join(_text(_cell(row, mapping, "client_name")).split())
            if len(client_name) > 200:
                bad("client_name", DomainError("text.too_long", "", maximum=200), client_name)
            raw_date, raw_amount = _cell(row, mapping, "date"), _cell(row, mapping, "amount")
            purchased_on = amount = None
            try:
                purchased_on = parse_date(raw_date)
            except DomainError as exc:
                bad("date", exc if _text(raw_date) else DomainError("date.required", ""),
                    raw_date)
            try:
                amount = parse_decimal_text(raw_amount)
            except DomainError as exc:
                bad("amount", exc, raw_amount)
            quantity = Decimal(1)
            raw_quantity = _cell(row, mapping, "quantity")
            if _text(raw_quantity):
                try:
                    quantity = parse_decimal_text(raw_quantity, "quantity")
                except DomainError as exc:
                    bad("quantity", exc, raw_quantity)
            item = " ".join(_text(_cell(row, mapping, "item")).split())
            if purchased_on is not None and amount is not None:
                try:  # the check the purchase dialog makes, so the row always saves
                    checked = validate_purchase(PurchaseData(
                        purchased_on=purchased_on, amount=amount, item=item,
                        quantity=quantity, note=_text(_cell(row, mapping, "note"))))
                    item = checked.item
                except ValidationError as exc:
                    raw = {"purchased_on": raw_date, "amount": raw_amount,
                           "quantity": raw_quantity, "item": item}
                    columns = {"purchased_on": "date"}
                    for e in exc.errors:
                        if e.code == "date.future_unconfirmed":  # nobody here to confirm it
                            e = FieldError(e.field, "date.future", "a purchase in the future")
                        bad(columns.get(e.field, e.field), e, raw.get(e.field, ""))
            digits = phone_digits(phone) or unchecked_digits(unchecked)
            client_keys = [k for k in ((("card", card.casefold()) if card else None),
                                       (("phone", digits) if digits else None),
                                       (("email", email) if email else None)) if k]
            client_key = client_keys[0] if client_keys else None
            if client_key is None:
                problems.append(RowProblem(n, heading.get("card_number", "card_number"),
                                           "import.client_required"))
            new_client = None
            if not problems and not any(k in existing for k in client_keys):
                name = client_name or card or raw_phone or email or ""
                memo = (name, raw_phone, email, card)
                if memo not in new_clients:  # many purchases of one new client: once
                    try:
                        new_clients[memo] = validate_client(ClientData(
                            name=name, phone=raw_phone, phone_unchecked=raw_phone,
                            email=email or "", external_ref=card or ""), phone_region)
                    except ValidationError as exc:
                        new_clients[memo] = exc
                checked_client = new_clients[memo]
                if isinstance(checked_client, ValidationError):
                    for e in checked_client.errors:
                        f = _CARD_FIELD.get(e.field, e.field)
                        bad("client_name" if f == "name" else f, e, "")
                else:
                    new_client = checked_client
            if problems:
                plan.problems.extend(problems)
                continue
            assert purchased_on is not None and amount is not None and client_key
            key_text = "\x1f".join((client_key[0], client_key[1], purchased_on.isoformat(),
                                    str(amount), item, str(quantity)))
            # two identical lines in one file (two coffees on one day) are two purchases:
            # the key counts them, so only a second import of the same file is caught
            occurrence[key_text] = occurrence.get(key_text, 0) + 1
            key_text += f"\x1f{occurrence[key_text]}"
            import_key = "import:" + hashlib.sha1(key_text.encode()).hexdigest()[:32]
            if import_key in keys:
                plan.already_imported.append(n)
                continue
            keys.add(import_key)
            if unchecked:
                failed_phones.append(unchecked)
                plan.unchecked_phones.append(RowProblem(n, heading.get("phone", "phone"),
                                                        "phone.unchecked", unchecked))
            if new_client is not None:
                plan.unknown_clients.append(n)
            plan.purchases.append(PurchaseRow(n, client_key, client_name, purchased_on,
                                              amount, item, quantity,
                                              _text(_cell(row, mapping, "note")), import_key,
                                              card, client_keys, phone, email, unchecked,
                                              new_client))
    plan.phone_hint = suggest_phone_region(failed_phones, phone_region, phones)
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


def _action(plan: Plan, row: int, dup: dict[int, Duplicate], choice: dict[int, str]) -> str:
    d = dup.get(row)
    action = choice.get(row, "skip") if d else "new"
    if action == "merge" and (d is None or d.client_id is None):
        action = "new"  # an earlier row of the file is not in ClientCare yet
    return action


def predict_report(plan: Plan, *, duplicates: dict[int, str] | None = None,
                   create_unknown: bool = False) -> Report:
    """The report :func:`apply_import` gives for ``plan`` with these choices, without
    writing anything (``--dry-run`` prints it)."""
    choice = duplicates or {}
    dup = {d.row: d for d in plan.duplicates}
    created = merged = skipped = unchecked = 0
    for r in plan.clients:
        action = _action(plan, r.row, dup, choice)
        if action == "skip":
            skipped += 1
            continue
        if action == "merge":
            merged += 1
        else:
            created += 1
        if r.phone_unchecked:
            unchecked += 1
    known = set(plan.known_keys)
    n_purchases = unknown_skipped = 0
    for p in plan.purchases:
        keys = p.client_keys or [p.client_key]
        if not any(k in known for k in keys):
            if not create_unknown:
                unknown_skipped += 1
                continue
            known.update(keys)
            created += 1
            if p.new_client is not None and p.new_client.phone_unchecked:
                unchecked += 1
        n_purchases += 1
    return Report(created, merged, skipped, n_purchases, len(plan.already_imported),
                  len({p.row for p in plan.problems}), unknown_skipped, unchecked)


def apply_import(session: Session, plan: Plan, region: str, *,
                 duplicates: dict[int, str] | None = None, create_unknown: bool = False,
                 today: date | None = None, progress: Progress = NO_PROGRESS) -> Report:
    """Write the plan in the caller's transaction (all or nothing). ``duplicates`` maps
    a duplicate row to "merge" (fill the existing client's empty fields), "skip" (the
    default) or "new" (a separate client). Saving runs the checks the plan ran; should
    a row still fail, the error names it. ``progress`` hears the rows written
    (:data:`STAGE_ROWS`) every :data:`PROGRESS_BATCH` rows, then the schedule of the
    imported clients being made (:data:`STAGE_SCHEDULE`); its ``check`` may stop the
    import there (:class:`~app.progress.Cancelled`: the caller's transaction rolls
    back, so nothing is kept)."""
    today = today or date.today()
    phone_region = plan.phone_region or region
    choice = duplicates or {}
    dup = {d.row: d for d in plan.duplicates}
    created = merged = skipped = unchecked = 0
    touched: set[int] = set()
    total = len(plan.clients) + len(plan.purchases)
    done = 0

    def step() -> None:
        nonlocal done
        if done % PROGRESS_BATCH == 0:
            progress.report(done, total, STAGE_ROWS)
            progress.check()
        done += 1

    def save(row: int, data: ClientData) -> int:
        try:
            return save_client(session, data, region=phone_region, today=today,
                               refresh=False)
        except ValidationError as exc:
            e = exc.errors[0]
            raise DomainError("import.row_failed", f"row {row}: {e.message}", row=row,
                              field=e.field, detail=e.code) from exc

    for r in plan.clients:
        step()
        action = _action(plan, r.row, dup, choice)
        if action == "skip":
            skipped += 1
            continue
        if action == "merge":
            d = dup[r.row]
            c = session.get(Client, d.client_id)
            if not c.phone and r.phone:
                c.phone, c.phone_digits, c.phone_unchecked = r.phone, phone_digits(r.phone), None
            elif not c.phone and not c.phone_unchecked and r.phone_unchecked:
                c.phone_unchecked = r.phone_unchecked
                c.phone_digits = unchecked_digits(r.phone_unchecked)
            if not c.email and r.email:
                c.email = r.email
            if not c.external_ref and r.card_number and not _card_taken(session, r.card_number):
                c.external_ref = r.card_number
            if r.notes and r.notes not in c.notes:
                c.notes = f"{c.notes}\n{r.notes}".strip()
            if r.birthday and not session.scalar(select(PersonalDate.id).where(
                    PersonalDate.client_id == c.id, PersonalDate.relative_id.is_(None),
                    PersonalDate.kind == DateKind.BIRTHDAY)):
                session.add(PersonalDate(client_id=c.id, kind=DateKind.BIRTHDAY,
                                         month=r.birthday[0], day=r.birthday[1],
                                         year=r.birthday[2]))
            c.search_text = search_text_for(c.name, c.email, c.external_ref, c.notes,
                                            c.preferences)
            merged += 1
            unchecked += bool(r.phone_unchecked)
            touched.add(c.id)
            continue
        data = r.data if r.data is not None else ClientData(name=r.name)
        if data.external_ref and _card_taken(session, data.external_ref):
            data = replace(data, external_ref="")
        cid = save(r.row, replace(data, phone=data.phone or data.phone_unchecked))
        touched.add(cid)
        created += 1
        unchecked += bool(data.phone_unchecked)
    n_purchases = unknown_skipped = 0
    if plan.purchases:
        index = _existing_index(session)
        for p in plan.purchases:
            step()
            keys = p.client_keys or [p.client_key]
            hit = next((index[k] for k in keys if k in index), None)
            if hit is None:
                if not create_unknown:
                    unknown_skipped += 1
                    continue
                data = p.new_client or ClientData(
                    name=p.client_name or p.card_number or p.phone or p.email or "",
                    phone=p.phone or "", email=p.email or "", external_ref=p.card_number or "")
                cid = save(p.row, replace(data, phone=data.phone or data.phone_unchecked))
                for k in keys:
                    index[k] = (cid, data.name)
                created += 1
                unchecked += bool(data.phone_unchecked)
                hit = (cid, data.name)
            session.add(Purchase(client_id=hit[0], purchased_on=p.purchased_on,
                                 amount=p.amount, item=p.item, quantity=p.quantity,
                                 note=p.note, import_key=p.import_key))
            touched.add(hit[0])
            n_purchases += 1
    session.flush()
    progress.report(total, total, STAGE_ROWS)
    progress.check()
    if touched:
        progress.report(0, None, STAGE_SCHEDULE)
        refresh_client_stats(session, sorted(touched), today=today)
        schedule.regenerate(session, today, client_ids=sorted(touched))
        progress.check()
    return Report(created, merged, skipped, n_purchases, len(plan.already_imported),
                  len({p.row for p in plan.problems}), unknown_skipped, unchecked)


def _card_taken(session: Session, card: str) -> bool:
    return session.scalar(select(Client.id).where(Client.external_ref == card)) is not None


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
