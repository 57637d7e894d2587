"""Data out, and a person's rights over their data.

* :func:`export_table` writes clients, purchases or contacts to CSV (UTF-8 with a BOM and
  ``;`` between fields, as Excel expects in Poland, Russia and Bulgaria) or XLSX
  (openpyxl, written row by row so 100,000 clients fit in little memory). Every file is
  written whole or not at all (:func:`write_whole`: a temporary file, synced, renamed
  over the target), and a long export reports its rows and may be stopped. Clients in the
  Trash and erased clients are left out of the client list; their purchases stay in the
  purchase list (the sale happened), erased ones without a name.
* :func:`client_data` is everything stored about one client, as JSON-ready data (a
  person's request to see their data).
* :func:`erase_client` (app/services/erasure.py) removes a client's personal data and
  keeps the purchases, anonymised, so revenue and the charts stay true.
* :func:`merge_clients` moves everything of one client into another; nothing is lost.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from app import dialect
from app.errors import DomainError, FieldError, NotFoundError, ValidationError
from app.models import (
    Client,
    Complaint,
    ConsentEvent,
    Contact,
    Membership,
    PersonalDate,
    Purchase,
    Relative,
    SegmentHistory,
    Tag,
    Task,
    client_tags,
)
from app.progress import NO_PROGRESS, Progress
from app.services import schedule
from app.services.access import Action, require
from app.services.clients import refresh_client_stats, search_text_for
from app.services.erasure import erase_client  # noqa: F401  (its old home)
from app.services.validation import phone_digits, unchecked_digits

WHAT = ("clients", "purchases", "contacts")
#: what an export is doing, as the ``text`` of its progress reports: rows written
STAGE_ROWS = "export.rows"
#: rows written between two progress reports (and checks for "stop")
PROGRESS_BATCH = 1000
#: the suffix of the temporary file an export writes before renaming it into place
PARTIAL = ".partial"
#: rows fetched at a time: SQLite's module builds each batch holding Python's interpreter
#: lock, and the window waits for it meanwhile (2,000 client rows held it for ~45 ms,
#: 500 for ~12 ms, at the same speed of export)
YIELD_ROWS = 500


@dataclass(frozen=True)
class Column:
    key: str
    header: str


def _segment_text(c: Client) -> str:
    seg = c.segment_override or c.segment
    return seg.value if seg else ""


def _clients(session: Session) -> Iterator[dict[str, Any]]:
    tags = dict(session.execute(
        select(client_tags.c.client_id, dialect.joined_text(Tag.name, ", "))
        .join(Tag, Tag.id == client_tags.c.tag_id).group_by(client_tags.c.client_id)).all())
    stmt = (select(Client).where(Client.deleted_at.is_(None), Client.erased_at.is_(None))
            .order_by(Client.sort_name, Client.id).execution_options(yield_per=YIELD_ROWS))
    for c in session.scalars(stmt):
        yield {"id": c.id, "name": c.name, "kind": c.kind.value, "card_number": c.external_ref,
               # a number kept to check is exported as it was imported, so it round-trips
               "phone": c.phone or c.phone_unchecked, "email": c.email,
               "preferred_channel": c.preferred_channel.value if c.preferred_channel else "",
               "do_not_contact": c.do_not_contact, "marketing_consent": c.marketing_consent,
               "marketing_consent_on": c.marketing_consent_on,
               "source_channel": c.source_channel, "referred_by_id": c.referred_by_id,
               "group": _segment_text(c), "group_reason": c.segment_override_reason,
               "tags": tags.get(c.id, ""), "first_purchase_on": c.first_purchase_on,
               "last_purchase_on": c.last_purchase_on, "purchases": c.purchase_count,
               "value_12m": c.value_12m, "preferences": c.preferences, "notes": c.notes,
               "created_at": c.created_at}


def _purchases(session: Session) -> Iterator[dict[str, Any]]:
    stmt = (select(Purchase, Client.name, Client.external_ref, Client.erased_at)
            .join(Client, Client.id == Purchase.client_id)
            .order_by(Purchase.purchased_on, Purchase.id).execution_options(yield_per=YIELD_ROWS))
    for p, name, ref, erased in session.execute(stmt):
        yield {"id": p.id, "client_id": p.client_id, "client": "" if erased else name,
               "card_number": "" if erased else ref, "date": p.purchased_on, "item": p.item,
               "quantity": p.quantity, "amount": p.amount, "refund": p.is_credit,
               "complaint_id": p.complaint_id, "note": "" if erased else p.note}


def _contacts(session: Session) -> Iterator[dict[str, Any]]:
    stmt = (select(Contact, Client.name).join(Client, Client.id == Contact.client_id)
            .where(Client.erased_at.is_(None))
            .order_by(Contact.at, Contact.id).execution_options(yield_per=YIELD_ROWS))
    for k, name in session.execute(stmt):
        yield {"id": k.id, "client_id": k.client_id, "client": name, "at": k.at,
               "channel": k.channel.value, "direction": k.direction.value,
               "purpose": k.purpose.value, "outcome": k.outcome.value,
               "tone": k.tone.value if k.tone else "", "minutes":
               round(k.duration_seconds / 60, 1) if k.duration_seconds else "",
               "decline_reason": k.decline_reason or "", "note": k.note}


_ROWS = {"clients": _clients, "purchases": _purchases, "contacts": _contacts}


def _count(session: Session, what: str) -> int:
    """How many rows :data:`_ROWS` gives (for the progress of an export)."""
    if what == "clients":
        stmt = select(func.count(Client.id)).where(Client.deleted_at.is_(None),
                                                   Client.erased_at.is_(None))
    elif what == "purchases":
        stmt = select(func.count(Purchase.id)).join(Client, Client.id == Purchase.client_id)
    else:
        stmt = (select(func.count(Contact.id)).join(Client, Client.id == Contact.client_id)
                .where(Client.erased_at.is_(None)))
    return session.scalar(stmt) or 0


#: columns whose values are codes or yes/no: the window passes ``labels`` to show them
#: in the user's words (services cannot translate)
CODED = frozenset({"kind", "preferred_channel", "channel", "direction", "purpose",
                   "outcome", "tone", "do_not_contact", "marketing_consent", "refund"})

#: a spreadsheet reads a cell that begins with one of these as a formula (or a number:
#: "+48 601..." ); such text is written so that it can only be text
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_KEPT_AFTER_APOSTROPHE = frozenset([*FORMULA_START, "'", "\n"])

Labels = Callable[[str, Any], str]


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date | time):
        return v.isoformat()
    return str(v)


def csv_text(v: Any) -> str:
    """One CSV cell: text that a spreadsheet would take for a formula gets a leading
    apostrophe (``'=HYPERLINK(...)``, ``'+48601234567``); numbers stay numbers."""
    text = _cell_text(v)
    if isinstance(v, str) and (text.startswith(FORMULA_START) or (
            text[:1] == "'" and text[1:2] in _KEPT_AFTER_APOSTROPHE)):
        # and a text that itself starts as a defused cell reads, so the import's
        # ``_undefused`` gives every text back as it was
        return "'" + text
    return text


def write_whole(path: Path, write: Callable[[Path], int]) -> int:
    """``write(partial)`` fills a temporary file beside ``path``; only when it is done
    is it synced and renamed over ``path``: the file is there whole or not at all (a
    full disk, a stop or a crash midway leave an earlier file as it was). Returns what
    ``write`` returns; raises DomainError("file.write") naming ``path``."""
    partial = path.with_name(path.name + PARTIAL)
    try:
        if not path.parent.is_dir():
            raise FileNotFoundError(2, "No such folder", str(path.parent))
        result = write(partial)
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, path)
    except OSError as exc:
        _remove(partial)
        raise DomainError("file.write", str(exc), path=str(path),
                          detail=exc.strerror or str(exc)) from exc
    except BaseException:
        _remove(partial)  # stopped, or a refusal: nothing half-written stays
        raise
    return result


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # its folder is gone: nothing of it stays anyway


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Every CSV ClientCare writes: UTF-8 with a BOM, ``;`` between fields (as Excel
    expects in Poland, Russia and Bulgaria), formula-looking text defused; whole or not
    at all (:func:`write_whole`). Returns rows written; raises DomainError("file.write")."""
    def write(target: Path) -> int:
        n = 0
        with open(target, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow([csv_text(h) for h in header])
            for r in rows:
                w.writerow([csv_text(v) for v in r])
                n += 1
        return n

    return write_whole(path, write)


def write_json(path: Path, data: Any) -> None:
    """A JSON file (a person's data), whole or not at all."""
    def write(target: Path) -> int:
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return 1

    write_whole(path, write)


def export_table(session: Session, what: str, path: Path,
                 headers: dict[str, str] | None = None, labels: Labels | None = None,
                 progress: Progress = NO_PROGRESS) -> int:
    """Write one table to ``path`` (.csv or .xlsx), whole or not at all; ``headers``
    maps each column key to the text of its heading (the window passes translated ones);
    ``labels(key, value)`` turns a code or yes/no of a :data:`CODED` column into the
    user's words; ``progress`` hears the rows written (:data:`STAGE_ROWS`) and may stop
    the export (then no file is written). Returns rows written."""
    require(session, Action.EXPORT)
    if what not in WHAT:
        raise ValidationError([FieldError("what", "export.what", f"cannot export {what}")])
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DomainError("export.format", "choose a .csv or .xlsx file", path=str(path))
    total = _count(session, what) if progress is not NO_PROGRESS else None
    progress.report(0, total, STAGE_ROWS)
    rows = _ROWS[what](session)
    first = next(rows, None)
    keys = list(first) if first is not None else _EMPTY_KEYS[what]
    names = [(headers or {}).get(k, k) for k in keys]
    coded = [i for i, k in enumerate(keys) if k in CODED] if labels else []

    def all_rows() -> Iterator[list[Any]]:
        if first is None:
            return
        for n, r in enumerate(itertools.chain([first], rows)):
            if n % PROGRESS_BATCH == 0:
                progress.report(n, total, STAGE_ROWS)
                progress.check()
            values = [r[k] for k in keys]
            for i in coded:
                if values[i] not in (None, ""):
                    values[i] = labels(keys[i], values[i])
            yield values

    if suffix == ".csv":
        n = write_csv(path, names, all_rows())
    else:
        n = write_whole(path, lambda target: _write_xlsx(target, what, names, all_rows()))
    progress.report(n, total or n, STAGE_ROWS)
    return n


#: rows read ahead to size the columns of an XLSX sheet
WIDTH_SAMPLE = 200


def _write_xlsx(path: Path, sheet: str, names: list[str], rows: Iterator[list[Any]]) -> int:
    """Written row by row (100,000 clients fit in little memory); a bold, frozen heading
    row; columns as wide as their heading and the first rows; text always a text cell,
    never a formula."""
    # lazy: start-up, openpyxl is slow to import
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ahead = list(itertools.islice(rows, WIDTH_SAMPLE))
    for i, name in enumerate(names):
        longest = max([len(name)] + [len(_cell_text(r[i])) for r in ahead])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(longest + 2, 8), 60)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(v: Any, font: Font | None = None) -> Any:
        if isinstance(v, Decimal):
            return float(v)  # a spreadsheet cell holds a double; the CSV keeps the exact text
        if not isinstance(v, str):
            return v
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"  # "=HYPERLINK(...)" is text here, never a live formula
        if font is not None:
            c.font = font
        return c

    ws.append([cell(n, bold) for n in names])
    n = 0
    for r in itertools.chain(ahead, rows):
        ws.append([cell(v) for v in r])
        n += 1
    wb.save(path)
    return n


_EMPTY_KEYS = {
    "clients": ["id", "name", "kind", "card_number", "phone", "email", "preferred_channel",
                "do_not_contact", "marketing_consent", "marketing_consent_on",
                "source_channel", "referred_by_id", "group", "group_reason", "tags",
                "first_purchase_on", "last_purchase_on", "purchases", "value_12m",
                "preferences", "notes", "created_at"],
    "purchases": ["id", "client_id", "client", "card_number", "date", "item", "quantity",
                  "amount", "refund", "complaint_id", "note"],
    "contacts": ["id", "client_id", "client", "at", "channel", "direction", "purpose",
                 "outcome", "tone", "minutes", "decline_reason", "note"],
}


# --------------------------------------------------------------------------- one person

def _plain(obj: Any, skip: Sequence[str] = ()) -> dict[str, Any]:
    out = {}
    for col in obj.__table__.columns:
        if col.key in skip:
            continue
        v = getattr(obj, col.key)
        if isinstance(v, Decimal):
            v = str(v)
        elif isinstance(v, date | datetime | time):
            v = v.isoformat()
        elif hasattr(v, "value"):
            v = v.value
        out[col.key] = v
    return out


def client_data(session: Session, client_id: int) -> dict[str, Any]:
    """Everything ClientCare keeps about one client (for a person's request)."""
    require(session, Action.EXPORT)
    c = session.get(Client, client_id)
    if c is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)

    def rows(model, order) -> list[dict[str, Any]]:
        return [_plain(r) for r in session.scalars(
            select(model).where(model.client_id == client_id).order_by(order))]

    tag_names = list(session.scalars(select(Tag.name).join(
        client_tags, client_tags.c.tag_id == Tag.id).where(client_tags.c.client_id == client_id)
        .order_by(Tag.name)))
    return {
        "client": _plain(c, skip=("search_text", "sort_name", "phone_digits", "version")),
        "tags": tag_names,
        "relatives": rows(Relative, Relative.id),
        "personal_dates": rows(PersonalDate, PersonalDate.id),
        "consent_changes": rows(ConsentEvent, ConsentEvent.changed_at),
        "purchases": rows(Purchase, Purchase.purchased_on),
        "memberships": rows(Membership, Membership.starts_on),
        "contacts": rows(Contact, Contact.at),
        "complaints": [dict(_plain(k), checklist=[_plain(x) for x in k.checks])
                       for k in session.scalars(select(Complaint).where(
                           Complaint.client_id == client_id).order_by(Complaint.opened_at))],
        "tasks": rows(Task, Task.due_on),
        "group_history": rows(SegmentHistory, SegmentHistory.quarter),
        "exported_at": datetime.now().replace(microsecond=0).isoformat(),
    }


def merge_clients(session: Session, keep_id: int, other_id: int, today: date) -> None:
    """Move everything of ``other_id`` into ``keep_id`` and remove ``other_id``.
    Empty fields of the kept client take the other's values; notes are joined."""
    require(session, Action.CLIENTS)
    if keep_id == other_id:
        raise ValidationError([FieldError("other", "merge.same", "the same client")])
    keep, other = session.get(Client, keep_id), session.get(Client, other_id)
    if keep is None or other is None:
        raise NotFoundError("client.not_found", "client not found",
                            client_id=other_id if keep else keep_id)
    if keep.erased_at is not None or other.erased_at is not None:
        # an erased person has no record left to merge; merging would write a live
        # client's data into the erased one (or an erased one's sales into a person)
        raise ValidationError([FieldError("other", "merge.erased", "an erased client")])
    if not keep.external_ref and other.external_ref:  # unique: free it first
        ref, other.external_ref = other.external_ref, None
        session.flush()
        keep.external_ref = ref
    for field in ("phone", "phone_digits", "email", "preferred_channel",
                  "contact_from", "contact_to", "source_channel", "referred_by_id",
                  "marketing_consent_on", "segment_override"):
        if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, ""):
            if field == "referred_by_id" and other.referred_by_id == keep_id:
                continue
            setattr(keep, field, getattr(other, field))
    if not keep.phone and not keep.phone_unchecked and other.phone_unchecked:
        keep.phone_unchecked = other.phone_unchecked
    if keep.phone:  # a valid number ends "check this number"
        keep.phone_unchecked = None
    keep.phone_digits = phone_digits(keep.phone) or unchecked_digits(keep.phone_unchecked)
    for field in ("preferences", "notes", "segment_override_reason"):
        a, b = getattr(keep, field), getattr(other, field)
        if b and b not in a:
            setattr(keep, field, f"{a}\n{b}".strip())
    keep.do_not_contact = keep.do_not_contact or other.do_not_contact
    if other.marketing_consent and not keep.marketing_consent:
        keep.marketing_consent = True
    keep.contact_days = keep.contact_days or other.contact_days
    session.flush()
    for model in (Purchase, Membership, Contact, Relative, PersonalDate, Complaint, Task,
                  ConsentEvent):
        session.execute(update(model).where(model.client_id == other_id)
                        .values(client_id=keep_id))
    kept_quarters = set(session.scalars(select(SegmentHistory.quarter)
                                        .where(SegmentHistory.client_id == keep_id)))
    session.execute(delete(SegmentHistory).where(SegmentHistory.client_id == other_id,
                                                 SegmentHistory.quarter.in_(kept_quarters)))
    session.execute(update(SegmentHistory).where(SegmentHistory.client_id == other_id)
                    .values(client_id=keep_id))
    tags = set(session.scalars(select(client_tags.c.tag_id)
                               .where(client_tags.c.client_id == other_id)))
    tags -= set(session.scalars(select(client_tags.c.tag_id)
                                .where(client_tags.c.client_id == keep_id)))
    if tags:
        session.execute(insert(client_tags), [{"client_id": keep_id, "tag_id": t}
                                              for t in tags])
    session.execute(update(Client).where(Client.referred_by_id == other_id,
                                         Client.id != keep_id)
                    .values(referred_by_id=keep_id))
    if keep.referred_by_id == other_id:  # nobody refers themselves
        keep.referred_by_id = None
    session.flush()
    session.expunge(other)
    session.execute(delete(client_tags).where(client_tags.c.client_id == other_id))
    session.execute(delete(Client).where(Client.id == other_id))
    keep.search_text = search_text_for(keep.name, keep.email, keep.external_ref, keep.notes,
                                       keep.preferences)
    session.flush()
    refresh_client_stats(session, [keep_id], today=today)
    schedule.regenerate(session, today, client_ids=[keep_id])
