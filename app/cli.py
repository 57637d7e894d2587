"""The command line. With no command it opens the window; commands run without a display.

    clientcare [--db PATH] [--demo PATH] [--lang CODE]
    clientcare demo PATH [--clients N] [--locale pl_PL] [--seed N] [--force]
    clientcare agenda [--db PATH] [--date YYYY-MM-DD] [--json | --pdf OUT.pdf [--lang CODE]]
    clientcare export-ics [--db PATH] OUT.ics
    clientcare metrics [--db PATH] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                       [--by month|quarter] [--as-of YYYY-MM-DD] [--json]
    clientcare init [--db PATH] [--country XX] [--currency CUR]
    clientcare import [--db PATH] FILE [--kind clients|purchases] [--mapping MAP.json]
                      [--encoding NAME] [--header-row N] [--phone-country XX]
                      [--duplicates skip|merge|new] [--create-unknown] [--dry-run]
                      [--consent-source TEXT --consent-date YYYY-MM-DD]
    clientcare risk [--db PATH] [--as-of YYYY-MM-DD] [--horizon DAYS] [--keep] [--json]
    clientcare risk-check [--db PATH] --as-of YYYY-MM-DD [--horizon DAYS] [--json]
    clientcare backup [--db PATH]
    clientcare check [--db PATH]
    clientcare migrate-to-postgres --from FILE.sqlite --to URL [--replace]
    clientcare --version | --help

Qt is imported only when the window opens, so ``--help``, ``--version`` and the
commands work on a machine without a screen.
"""

from __future__ import annotations

import argparse
import codecs
import dataclasses
import json
import os
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

from app import __version__
from app.config import default_db_path, is_server_url
from app.errors import DomainError

#: the encodings ``import --encoding`` accepts (app/services/io/importer.py: ENCODINGS;
#: repeated here so that ``--help`` needs no import of the services)
ENCODINGS = ("utf-8", "utf-16", "cp1250", "cp1251", "cp1252", "koi8-r", "iso8859-2")


def _db_target(text: str) -> Path | str:
    """``--db``: a file's path, or an office server's URL kept as typed (a Path would
    fold its ``//``)."""
    return text if is_server_url(text) else Path(text)


def _open(path: Path | str, **kw):
    """The database a command works on: a file (app/db.py) or an office server's."""
    if is_server_url(path):
        from app.server import open_server  # lazy: start-up, --help imports neither

        return open_server(str(path))
    from app.db import open_database  # lazy: start-up, --help imports none of the services

    return open_database(path, **kw)


def _target(value: Path | str | None) -> Path | str:
    """The database a command works on: ``--db`` as given, or the default file."""
    if value is not None and is_server_url(value):
        return value
    return Path(value or default_db_path()).expanduser()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clientcare",
        description=f"ClientCare {__version__}: keep the clients you already have. "
                    "Without a command, opens the window.")
    p.add_argument("--version", action="version", version=f"ClientCare {__version__}")
    p.add_argument("--db", type=_db_target, metavar="PATH",
                   help="the database file to open or create, or an office server's "
                        "database: postgresql+psycopg://user@host/dbname (default: the "
                        "office server chosen in Settings > Office server, else "
                        f"{default_db_path()}; the commands: the file)")
    p.add_argument("--demo", type=Path, metavar="PATH",
                   help="create a demo database of about 300 clients at PATH, then open it")
    p.add_argument("--read-only", action="store_true", dest="read_only",
                   help="open the database read-only: nothing can be saved, nothing in "
                        "the file or its folder changes")
    p.add_argument("--lang", metavar="CODE",
                   help="the language of the window, e.g. en, pl, ru, bg (default: the system's)")
    # for CI and packaged builds (app/ui/smoke.py, packaging/smoke.sh; README), not users
    p.add_argument("--smoke-test", action="store_true", dest="smoke_test",
                   help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("demo", help="create a demo database without opening the window")
    d.add_argument("path", type=Path)
    d.add_argument("--clients", type=int, default=300)
    d.add_argument("--locale", default="en_US", help="en_US, pl_PL, ru_RU or bg_BG")
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument("--force", action="store_true", help="replace an existing file")
    a = sub.add_parser("agenda", help="print a day's call queue in the Today order")
    a.add_argument("--db", type=_db_target, dest="agenda_db", metavar="PATH",
                   help="the database (default: the user's)")
    a.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="the day (default: today)")
    shown = a.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print JSON instead of a table")
    shown.add_argument("--pdf", type=Path, metavar="OUT.pdf",
                   help="write the day's list for paper as a PDF file (as Today prints it)")
    a.add_argument("--lang", dest="agenda_lang", metavar="CODE",
                   help="the language of the PDF, e.g. en, pl, ru, bg (default: --lang "
                        "before the command, else the system's, as the window)")
    x = sub.add_parser("export-ics", help="write due calls, meetings and personal dates "
                                          "to an .ics calendar file")
    x.add_argument("--db", type=_db_target, dest="ics_db", metavar="PATH",
                   help="the database (default: the user's)")
    x.add_argument("out", type=Path, metavar="OUT.ics")
    m = sub.add_parser("metrics", help="print the numbers of the Charts page "
                                       "(the dashboard and every series)")
    m.add_argument("--db", type=_db_target, dest="metrics_db", metavar="PATH",
                   help="the database (default: the user's)")
    m.add_argument("--from", type=_iso_date, dest="start", metavar="YYYY-MM-DD",
                   help="the first day of the range (default: the first day of the month "
                        "11 months before --as-of)")
    m.add_argument("--to", type=_iso_date, dest="end", metavar="YYYY-MM-DD",
                   help="the last day of the range (default and latest: --as-of)")
    m.add_argument("--by", choices=("month", "quarter"), default="month",
                   help="the period of the series (default: month)")
    m.add_argument("--as-of", type=_iso_date, dest="as_of", metavar="YYYY-MM-DD",
                   help="the day every number is seen from: only purchases, calls and "
                        "complaints dated on or before it count, A/B/C computed for it "
                        "(default: today)")
    m.add_argument("--json", action="store_true",
                   help="print every series as JSON instead of the dashboard")
    r = sub.add_parser("risk", help="print every client's churn risk: the probability of "
                                    "no purchase in the next DAYS days, with why")
    r.add_argument("--db", type=_db_target, dest="risk_db", metavar="PATH",
                   help="the database (default: the user's)")
    r.add_argument("--as-of", type=_iso_date, dest="as_of", metavar="YYYY-MM-DD",
                   help="score from the purchases known on that day only (always "
                        "computed; default: today, the scores kept today if there are)")
    r.add_argument("--horizon", type=_horizon, default=None, metavar="DAYS",
                   help="the DAYS of 'no purchase in the next DAYS days' (default: the "
                        "setting, 90)")
    r.add_argument("--keep", action="store_true",
                   help="compute and keep the scores (the list, the cards and the Today "
                        "queue show them; the at-risk status follows them)")
    r.add_argument("--json", action="store_true", help="print JSON instead of a table")
    k = sub.add_parser("risk-check", help="backtest the risk score on your own data: cut "
                                          "the history at a date, score, and compare with "
                                          "who bought nothing in the DAYS after it")
    k.add_argument("--db", type=_db_target, dest="risk_db", metavar="PATH",
                   help="the database (default: the user's)")
    k.add_argument("--as-of", type=_iso_date, dest="as_of", metavar="YYYY-MM-DD",
                   required=True, help="the day the history is cut at")
    k.add_argument("--horizon", type=_horizon, default=90, metavar="DAYS",
                   help="the days after the cut that tell who was lost (default: 90)")
    k.add_argument("--json", action="store_true", help="print JSON instead of lines")
    b = sub.add_parser("backup", help="make a backup of the database now (kept until you "
                                      "delete it), then remove old automatic backups")
    b.add_argument("--db", type=_db_target, dest="backup_db", metavar="PATH",
                   help="the database (default: the user's)")
    c = sub.add_parser("check", help="run the full integrity check of the database; "
                                     "exit 0 when it is healthy, 1 when it is damaged")
    c.add_argument("--db", type=_db_target, dest="check_db", metavar="PATH",
                   help="the database (default: the user's)")
    g = sub.add_parser("migrate-to-postgres",
                       help="copy a database file into an empty database on a PostgreSQL "
                            "server (office mode), then compare every table's row count")
    g.add_argument("--from", dest="from_path", type=Path, required=True, metavar="FILE",
                   help="the ClientCare database file to copy (only read; an older one is "
                        "brought up to date first, after a backup)")
    g.add_argument("--to", dest="to_url", required=True, metavar="URL",
                   help="the server's database: postgresql+psycopg://user:password@host/dbname")
    g.add_argument("--replace", action="store_true",
                   help="delete what the server's database holds first (otherwise a "
                        "database with data is refused)")
    n = sub.add_parser("init", help="create an empty ClientCare database (an existing one "
                                    "is kept as it is)")
    n.add_argument("--db", type=_db_target, dest="init_db", metavar="PATH",
                   help="the database to create (default: the user's)")
    n.add_argument("--country", type=_country, metavar="XX",
                   help="the business's country, for phone numbers, e.g. PL, RU, BG "
                        "(default: PL)")
    n.add_argument("--currency", type=_currency, metavar="CUR",
                   help="the business's currency, e.g. PLN, EUR, RUB (default: PLN)")
    i = sub.add_parser("import", help="import clients or purchases from a .csv, .xlsx or "
                                      ".vcf file (all rows or none)")
    i.add_argument("--db", type=_db_target, dest="import_db", metavar="PATH",
                   help="the database (default: the user's)")
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument("--kind", choices=["clients", "purchases"], default="clients")
    i.add_argument("--mapping", type=Path, metavar="MAP.json",
                   help='which column is which field, e.g. {"Telefon": "phone", "2": "email"}'
                        " (default: guessed from the headings)")
    i.add_argument("--encoding", type=_encoding, metavar="NAME",
                   help="the encoding of a CSV or vCard file: " + ", ".join(ENCODINGS)
                        + " (default: found from the file)")
    i.add_argument("--header-row", type=_positive, dest="header_row", metavar="N",
                   help="the row of the file that holds the headings (default: found; "
                        "a title above the table is skipped)")
    i.add_argument("--phone-country", type=_country, dest="phone_country", metavar="XX",
                   help="read phones without a country code as numbers of this country, "
                        "for this file (default: the business's country)")
    i.add_argument("--duplicates", choices=["skip", "merge", "new"], default="skip",
                   help="what to do with a client who is already there (default: skip)")
    i.add_argument("--create-unknown", action="store_true",
                   help="create the clients of purchases who are not there yet")
    i.add_argument("--dry-run", action="store_true",
                   help="check the file and print the report; change nothing")
    i.add_argument("--consent-source", dest="consent_source", metavar="TEXT",
                   help="record marketing consent for every client of a file of clients, "
                        "from this source (e.g. 'signed forms at the reception'), in the "
                        "consent log; a row whose consent column says yes or no keeps its "
                        "own answer; needs --consent-date")
    i.add_argument("--consent-date", type=_iso_date, dest="consent_date",
                   metavar="YYYY-MM-DD",
                   help="the day that consent was given (not after today); needs "
                        "--consent-source")
    e = sub.add_parser("export", help="write clients, purchases or calls to a .csv or "
                                      ".xlsx file")
    e.add_argument("--db", type=_db_target, dest="export_db", metavar="PATH",
                   help="the database (default: the user's)")
    e.add_argument("--what", choices=["clients", "purchases", "contacts"], default="clients",
                   help="which table (default: clients)")
    e.add_argument("out", type=Path, metavar="OUT.csv|OUT.xlsx")
    return p


def _existing(path: Path) -> Path | None:
    """The path when the file exists; otherwise prints the usual message and returns
    None, so that not even its folder is created."""
    return _existing_database(path)


def _cmd_backup(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.services import backups
    from app.services import settings as settings_service

    path = _existing(args.backup_db or args.db or default_db_path())
    if path is None:
        return 2
    db = _open(path, create=False)  # refuses a foreign or damaged file
    try:
        with db.session() as s:
            keep_daily = settings_service.get(s, "backup.keep_daily")
            keep_weekly = settings_service.get(s, "backup.keep_weekly")
        backups.clean_partials(db.path)
        made = backups.make_backup(db.path, "manual")
    finally:
        db.close()
    print(made.path)
    backups.rotate(db.path, keep_daily, keep_weekly)
    if backups.clock_looks_wrong(backups.list_backups(db.path)):
        print("clientcare: warning: the dates of the backups do not fit their order or "
              "today; check the computer's clock (old backups are kept by their order, "
              "not by date)", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.services.io.export import export_table

    path = _existing(args.export_db or args.db or default_db_path())
    if path is None:
        return 2
    db = _open(path, create=False)
    try:
        with db.sessions() as s:
            n = export_table(s, args.what, args.out)
    finally:
        db.close()
    print(f"{n} {args.what} written to {args.out}")
    return 0


def _existing_database(path: Path | str) -> Path | str | None:
    """``import``: the database when it is there; otherwise says why (missing, or an
    empty file) and returns None, creating nothing. A server's URL is returned as it is:
    opening it says whether the server and the database are there."""
    if is_server_url(path):
        return path
    path = Path(path).expanduser()
    if not path.exists():
        print(f"clientcare: {path} does not exist (clientcare init --db {path} creates "
              "an empty database)", file=sys.stderr)
        return None
    if path.is_file() and path.stat().st_size == 0:
        print(f"clientcare: {path} is empty (0 bytes), not a ClientCare database yet "
              f"(clientcare init --db {path} makes it one)", file=sys.stderr)
        return None
    return path


def _cmd_init(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.services import settings as settings_service

    path = Path(args.init_db or args.db or default_db_path()).expanduser()
    existed = path.is_file() and path.stat().st_size > 0
    db = _open(path)  # refuses a foreign, damaged or newer file, changing nothing
    try:
        if existed:
            print(f"{db.path} is already a ClientCare database; kept as it is")
            return 0
        with db.session() as s:
            if args.country:
                settings_service.put(s, "business.region", args.country)
            if args.currency:
                settings_service.put(s, "business.currency", args.currency)
            region, currency = settings_service.get(s, "business.region"), settings_service.get(s, "business.currency")
    finally:
        db.close()
    print(f"created the empty database {db.path} (country {region}, currency {currency})")
    return 0


def _read_mapping(path: Path, headers: list[str], kind: str) -> dict[int, str] | str:
    """The mapping of a MAP.json file, or the reason it cannot be used."""
    # lazy: start-up, --help imports none of the services
    from app.services.io import importer

    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"cannot read the mapping {path}: {getattr(exc, 'strerror', None) or exc}"
    if not isinstance(given, dict):
        return f"the mapping {path} is not an object of column -> field"
    fields = importer.CLIENT_FIELDS if kind == "clients" else importer.PURCHASE_FIELDS
    heads = {importer.heading_key(h): n for n, h in enumerate(headers)}
    mapping: dict[int, str] = {}
    for col, fld in given.items():
        n = int(col) if str(col).isdigit() else heads.get(importer.heading_key(str(col)))
        if n is None or n >= len(headers):
            return f"the file has no column {col!r}"
        if fld not in fields:
            return f"{fld!r} is not a field of {kind} (the fields: {', '.join(fields)})"
        mapping[n] = fld
    return mapping


def _report_line(report, consent=None) -> str:
    line = (f"created {report.created} clients, merged {report.merged}, skipped "
            f"{report.skipped}, {report.purchases} purchases, {report.already_imported} "
            f"already imported, {report.rejected} rows rejected")
    if consent is not None:
        line += (f", marketing consent recorded for {report.consented} clients "
                 f"(source {consent.source!r}, given on {consent.given_on.isoformat()})")
    if report.unknown_skipped:
        line += f", {report.unknown_skipped} purchases of unknown clients skipped"
    if report.unchecked_phones:
        line += f", {report.unchecked_phones} phone numbers to check"
    return line


class TerminalProgress:
    """``import`` on a terminal: one line on stderr, written over, at most five times a
    second: "importing: 1200 of 10000 rows, 5400 rows/s"."""

    def __init__(self, stream=None, clock=time.monotonic) -> None:
        # lazy: start-up, --help imports none of the services
        from app.services import backups
        from app.services.io import importer

        self.words = {importer.STAGE_CHECK: "checking the file: row {done} of {total}",
                      importer.STAGE_ROWS: "importing: {done} of {total} rows",
                      importer.STAGE_SCHEDULE: "planning the calls of the imported clients",
                      backups.STAGE_COPY: "backing up: {percent} %",
                      backups.STAGE_VERIFY: "checking the backup"}
        #: the stages counted in rows (their line says how many a second)
        self.counted = (importer.STAGE_CHECK, importer.STAGE_ROWS)
        self.stream = stream or sys.stderr
        self.clock = clock
        self.shown = False
        self.stage: str | None = None
        self.started = self.written = 0.0
        self.first = 0

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        now = self.clock()
        if text != self.stage:
            self.stage, self.started, self.first = text, now, done
        elif now - self.written < 0.2 and done != total:
            return
        self.written = now
        line = self.words.get(text or "", text or "").format(
            done=done, total=total or done,
            percent=round(100 * done / total) if total else 0)
        if text in self.counted and now > self.started and done > self.first:
            line += f", {(done - self.first) / (now - self.started):,.0f} rows/s"
        self.stream.write(f"\r\x1b[K{line}")
        self.stream.flush()
        self.shown = True

    def check(self) -> None:
        pass

    def end(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _cmd_import(args: argparse.Namespace) -> int:
    """The import use case (app/services/imports.py, as the wizard runs it); on a
    terminal the progress of checking and writing is shown on stderr."""
    # lazy: start-up, --help imports none of the services
    from app.progress import NO_PROGRESS
    from app.services import imports
    from app.services import settings as settings_service
    from app.services.io import importer

    consent = None
    if args.consent_source is not None or args.consent_date is not None:
        if args.consent_source is None or args.consent_date is None:
            print("clientcare: --consent-source and --consent-date go together",
                  file=sys.stderr)
            return 2
        try:
            consent = importer.file_consent(args.consent_date, args.consent_source,
                                            date.today())
        except DomainError as exc:
            print(f"clientcare: {_consent_problem(exc)}", file=sys.stderr)
            return 2
    terminal = TerminalProgress() if sys.stderr.isatty() else None
    progress = terminal or NO_PROGRESS

    path = _existing_database(args.import_db or args.db or default_db_path())
    if path is None:
        return 2
    db = _open(path, create=False)
    try:
        with db.sessions() as s:
            region = settings_service.get(s, "business.region")
        table = importer.read_table(args.file, encoding=args.encoding,
                                    header_row=args.header_row, region=region)
        kind = "clients" if table.source == "vcard" else args.kind
        if consent is not None and kind != "clients":
            print("clientcare: consent for a whole file is recorded for a file of clients "
                  "only (--kind clients)", file=sys.stderr)
            return 2
        if table.header_row != 1:
            print(f"the headings are on row {table.header_row}")
        if args.mapping:
            mapping = _read_mapping(args.mapping, table.headers, kind)
            if isinstance(mapping, str):
                print(f"clientcare: {mapping}", file=sys.stderr)
                return 2
        else:
            mapping = importer.guess_mapping(table.headers, kind)
        with db.sessions() as s:
            plan = importer.plan_import(s, table, mapping, kind, region,
                                        phone_region=args.phone_country, progress=progress)
        if terminal is not None:
            terminal.end()
        for p in plan.all_problems():
            print(f"row {p.row}, column {p.column!r}: {p.code} ({p.value!r})")
        for p in plan.all_unchecked_phones():
            print(f"row {p.row}, column {p.column!r}: kept to check, not a valid phone "
                  f"number of {plan.phone_region} ({p.value!r})")
        hint = plan.phone_hint
        if hint is not None:
            print(f"{hint.failed} of {hint.total} phones are not valid numbers of "
                  f"{plan.phone_region}, but {hint.fits} of the {hint.tried} tried are "
                  f"numbers of {hint.region}: run again with --phone-country {hint.region} "
                  f"to read them as numbers of {hint.region}")
        for d in plan.all_duplicates():
            print(f"row {d.row}: already there as {d.name!r} (same {d.by}): {args.duplicates}")
        if plan.counts.unknown:
            print(f"rows {', '.join(map(str, plan.all_rows('unknown')))}: client not found"
                  + ("; created" if args.create_unknown else "; skipped"))
        if args.dry_run:
            expected = importer.predict_report(plan, default_duplicates=args.duplicates,
                                               create_unknown=args.create_unknown)
            if consent is not None:
                with db.sessions() as s:
                    expected = dataclasses.replace(expected, consented=importer.consent_count(
                        s, plan, consent, default_duplicates=args.duplicates))
            print(f"dry run: {_report_line(expected, consent)}; nothing was changed")
            return 0
        with db.session() as s:
            report = imports.import_plan(s, db.path, table, kind, mapping, plan, region,
                                         default_duplicates=args.duplicates,
                                         create_unknown=args.create_unknown,
                                         progress=progress, consent=consent).report
    finally:
        if terminal is not None:
            terminal.end()
        db.close()
    print(_report_line(report, consent))
    return 0


def _consent_problem(exc: DomainError) -> str:
    """What is wrong with --consent-source / --consent-date, in plain words."""
    words = {"consent.source_required": "--consent-source is empty",
             "text.too_long": "--consent-source is longer than {maximum} characters",
             "consent.date_required": "--consent-date is missing",
             "consent.date_future": "--consent-date is after today: consent cannot be "
                                    "given in the future"}
    return "; ".join(words.get(e.code, e.message).format(**e.values)
                     for e in getattr(exc, "errors", [])) or str(exc)


def _cmd_check(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.db import inspect_read_only, integrity_check

    path = _existing(args.check_db or args.db or default_db_path())
    if path is None:
        return 2
    # read-only from the first byte: no migration, no journal-mode switch, no write
    inspect_read_only(path)  # a foreign, newer, locked or unreadable file: exit 2
    problems = integrity_check(path.resolve())
    if not problems:
        print("ok")
        return 0
    for line in problems:
        print(line)
    return 1


def _cmd_export_ics(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.services import settings as settings_service

    # lazy: start-up, icalendar is slow to import
    from app.services.io.ics import export_ics
    from app.services.validation import format_phone

    path = args.ics_db or args.db or default_db_path()
    if _existing_database(path) is None:  # missing or 0 bytes: say which
        return 2
    if not args.out.parent.is_dir():
        print(f"clientcare: the folder {args.out.parent} does not exist", file=sys.stderr)
        return 2
    db = _open(path, create=False)
    try:
        with db.sessions() as s:
            region = settings_service.get(s, "business.region")
            n = export_ics(s, args.out, date.today(),
                           format_phone=lambda p: format_phone(p, region))
    except OSError as exc:
        print(f"clientcare: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    print(f"wrote {n} events to {args.out}")
    return 0


def _country(text: str) -> str:
    # lazy: start-up, phonenumbers is slow to import
    import phonenumbers
    code = text.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise argparse.ArgumentTypeError(f"not a country code such as PL, RU or BG: {text}")
    return code


def _currency(text: str) -> str:
    code = text.strip().upper()
    if not (len(code) == 3 and code.isalpha() and code.isascii()):
        raise argparse.ArgumentTypeError(f"not a currency code such as PLN or EUR: {text}")
    return code


def _encoding(text: str) -> str:
    try:
        name = codecs.lookup(text).name
    except LookupError:
        name = ""
    if name not in ENCODINGS:
        raise argparse.ArgumentTypeError(f"not one of {', '.join(ENCODINGS)}: {text}")
    return name


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a row number (1 or more): {text}")
    return int(text)


def _horizon(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise argparse.ArgumentTypeError(f"not a number of days from 1 to 3650: {text}")
    return int(text)


def _iso_date(text: str):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text}") from None


def _cmd_agenda(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.services import agenda, calls, schedule, startup
    from app.services import settings as settings_service
    from app.services.validation import format_phone

    path = args.agenda_db or args.db or default_db_path()
    if _existing_database(path) is None:  # missing or 0 bytes: say which
        return 2
    today = date.today()
    day = args.date or today
    db = _open(path, create=False)
    try:
        with db.session() as s:
            # the window's own start of the day (12-month values moved once a day, due
            # calls brought up to date), so the list printed is the list Today shows
            startup.start_of_day(s, today)
            if day != today:  # another day's list, as it will stand then
                schedule.regenerate(s, day)
            if args.pdf is not None:
                sheet = agenda.day_sheet(s, day)
            else:
                rows = calls.today_queue(s, day)
                region = settings_service.get(s, "business.region")
    finally:
        db.close()
    if args.pdf is not None:
        return _agenda_pdf(sheet, args.pdf, args.agenda_lang or args.lang)

    def item(r) -> dict:
        return {"task_id": r.task_id, "task_ids": list(r.task_ids), "client_id": r.client_id,
                "client": r.client_name, "phone": r.phone,
                "phone_display": format_phone(r.phone, region), "kind": str(r.kind),
                "kinds": [str(k) for k in r.kinds], "due": r.due_on.isoformat(),
                "overdue_days": r.overdue_days, "attempts": r.attempts,
                "open_complaint": r.open_complaint, "promo": r.promo,
                "discount": r.discount, "frozen": r.frozen, "segment": r.segment,
                "logged": str(r.logged_outcome) if r.logged_outcome else None,
                "logged_at": r.logged_at.isoformat(timespec="minutes") if r.logged_at
                else None, "done": r.settled}

    items = [item(r) for r in rows if not r.internal]  # one call per client, Today's order
    todo = [item(r) for r in rows if r.internal]  # internal to-dos: not calls
    if args.json:
        print(json.dumps({"date": day.isoformat(), "calls": items, "todo": todo},
                         ensure_ascii=False, indent=2))
        return 0
    left = sum(1 for it in items if not it["done"])
    print(f"{day.isoformat()}: {left} call(s) to make"
          + (f", {len(items) - left} logged" if len(items) > left else ""))
    for it in items:
        if it["done"]:
            late = "done"
        else:
            late = f"{it['overdue_days']}d late" if it["overdue_days"] else "today"
        what = "+".join(it["kinds"])
        logged = f"  ({it['logged']} at {it['logged_at'][11:]})" if it["logged"] else ""
        print(f"  {late:>9}  {what:<30} {it['client']:<30} {it['phone_display']}{logged}")
    if todo:
        print(f"To do, not calls: {len(todo)}")
        for it in todo:
            late = f"{it['overdue_days']}d late" if it["overdue_days"] else "today"
            print(f"  {late:>9}  {it['kind']:<30} {it['client'] or '(the business)'}")
    return 0


def _agenda_pdf(sheet, out: Path, language: str | None) -> int:
    """The day's list written as a PDF, in the language the window would speak."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen: none needed
    # lazy: Qt only for --pdf, so the other commands run without it
    from app.ui.app import install_translations
    from app.ui.printing import painting_application, write_pdf

    locale = install_translations(painting_application(), language)
    pages = write_pdf(sheet, out, locale)
    left = f" (the first {len(sheet.calls)} of {sheet.total_calls})" if sheet.left_out else ""
    print(f"wrote {out}: {len(sheet.calls)} call(s){left}, {pages} page(s)")
    return 0


#: one line per number, as DOMAIN.md "Definitions the charts use" defines them
METRIC_DEFINITIONS = {
    "repeat_purchase_share": "of a period: the purchases made after the client's first "
                             "purchase day, divided by all purchases of the period, "
                             "by revenue and by count (first-day purchases are new)",
    "returning_client_rate": "of a period: clients who made a returning purchase in it, "
                             "divided by all clients who bought anything in it",
    "second_purchase_conversion": "of a cohort (the month of the first purchase): clients "
                                  "who bought again within 90 days of their first purchase, "
                                  "divided by all clients of the cohort",
}


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _cmd_metrics(args: argparse.Namespace) -> int:
    # lazy: start-up, --help imports none of the services
    from app.services import metrics

    as_of = args.as_of or date.today()
    default_start, default_end = metrics.default_range(as_of)
    start, end = args.start or default_start, min(args.end or default_end, as_of)
    if start > as_of:
        print(f"clientcare: --from {start.isoformat()} is after --as-of {as_of.isoformat()}: "
              "nothing after that day is known then", file=sys.stderr)
        return 2
    if start > end:
        given = "--from" if args.start else "the default start (11 months before --as-of)"
        print(f"clientcare: {given} {start.isoformat()} is after --to {end.isoformat()}",
              file=sys.stderr)
        return 2
    by = metrics.By(args.by)
    path = _target(args.metrics_db or args.db)
    if _existing_database(path) is None:  # checked here too: not even a folder is made
        return 2
    db = _open(path, create=False)
    try:
        with db.sessions() as s:
            rep = metrics.report(s, start, end, by, as_of)
    finally:
        db.close()
    if args.json:
        out = metrics.to_jsonable(rep)
        out["definitions"] = dict(METRIC_DEFINITIONS)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    d = rep.dashboard
    month = f"{d.month // 100}-{d.month % 100:02d}"
    print(f"{month} up to {as_of.isoformat()}")
    print(f"  repeat-purchase share:  {_percent(d.repeat_share_revenue)} of revenue, "
          f"{_percent(d.repeat_share_count)} of purchases")
    print(f"  returning-client rate:  {_percent(d.returning_rate)} "
          f"of {d.clients_buying} client(s) buying")
    print(f"  new clients:            {d.new_clients}")
    print(f"  open complaints:        {d.open_complaints}")
    print(f"  overdue calls:          {d.overdue_calls}")
    print(f"(--json prints every series from {start.isoformat()} to {end.isoformat()}, "
          f"by {by.value})")
    return 0


#: why the risk command uses the model it uses (app/services/risk.py Choice.reason)
RISK_REASONS = {
    "backtest": "it ranked best on this business's own past",
    "short_history": "the history is shorter than twice the horizon; a simple score "
                     "from the days since the last purchase over the usual gap is used",
    "few_buyers": "fewer than 200 clients bought more than once; a simple score from "
                  "the days since the last purchase over the usual gap is used",
}


def _auc(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _risk_choice(choice) -> dict:
    return {"model": choice.model, "reason": choice.reason,
            "reason_text": RISK_REASONS[choice.reason],
            "tested_at": choice.tested_at.isoformat() if choice.tested_at else None,
            "backtest_auc": dict(choice.aucs)}


def _risk_choice_line(choice) -> str:
    line = f"model: {choice.model} ({RISK_REASONS[choice.reason]}"
    if choice.aucs:
        line += f"; AUC scored at {choice.tested_at.isoformat()}: " + ", ".join(
            f"{m} {_auc(a)}" for m, a in choice.aucs.items())
    return line + ")"


def _open_for_risk(args: argparse.Namespace):
    # lazy: start-up, --help imports none of the services

    path = _target(args.risk_db or args.db)
    if _existing_database(path) is None:  # missing or 0 bytes: say which, create nothing
        return None
    return _open(path, create=False)


def _cmd_risk(args: argparse.Namespace) -> int:
    # lazy: start-up, numpy and scipy are slow to import
    from app.services import risk, risk_store

    db = _open_for_risk(args)
    if db is None:
        return 2
    try:
        if args.keep:
            with db.session() as s:
                days = args.horizon or risk_store.horizon(s)
                risk_store.refresh_risk(s, args.as_of or date.today(), days, today=date.today())
        with db.sessions() as s:
            days = args.horizon or risk_store.horizon(s)
            run = risk_store.last_run(s)
            if (args.as_of is None and run is not None and run.as_of == date.today()
                    and run.horizon == days):
                # kept today: read, not computed again (unless a purchase came since)
                rep = _kept_report(s, run) or risk.compute(s, date.today(), days)
            else:
                rep = risk.compute(s, args.as_of or date.today(), days)
    finally:
        db.close()
    if args.json:
        out = {"as_of": rep.as_of.isoformat(), "horizon_days": rep.horizon,
               "source": "kept" if isinstance(rep, _Kept) else "computed",
               **_risk_choice(rep.choice),
               "clients": [{"client_id": c.client_id, "external_ref": c.external_ref,
                            "score": c.score, "status": c.level,
                            "explanation": {"code": c.explanation.code,
                                            "values": c.explanation.values,
                                            "text": c.explanation.text()},
                            "model": rep.choice.model} for c in rep.clients]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{rep.as_of.isoformat()}: {len(rep.clients)} client(s) with a purchase, the "
          f"probability of no purchase in the next {rep.horizon} days"
          + (" (the scores kept today)" if isinstance(rep, _Kept) else ""))
    print(_risk_choice_line(rep.choice))
    for c in sorted(rep.clients, key=lambda c: (-c.score, c.client_id)):
        who = c.external_ref or f"#{c.client_id}"
        print(f"  {c.score:5.2f}  {c.level:<6}  {who:<16}  {c.explanation.text()}")
    return 0


class _Kept:
    """A risk report read from the kept scores (the shape of ``risk.RiskReport``)."""

    def __init__(self, as_of, horizon, choice, clients) -> None:
        self.as_of, self.horizon, self.choice, self.clients = as_of, horizon, choice, clients


def _kept_report(session, run) -> _Kept | None:
    """The kept scores, or None when a purchase came after one of them (stale)."""
    from app.services import risk, risk_store  # lazy: start-up
    got = risk_store.kept_report(session)
    rows = [] if got is None else got[1]
    if not all(k.fresh for k, _ref in rows):
        return None
    choice = risk.Choice(run.model, run.reason, run.aucs, run.tested_at)
    return _Kept(run.as_of, run.horizon, choice, [
        risk.ClientRisk(k.client_id, ref, k.score, k.level, k.explanation)
        for k, ref in rows])


def _cmd_risk_check(args: argparse.Namespace) -> int:
    # lazy: start-up, numpy and scipy are slow to import
    from app.services import risk, risk_store

    db = _open_for_risk(args)
    if db is None:
        return 2
    try:
        with db.sessions() as s:  # the flag as the app sets it: score >= the threshold
            bt = risk.check(s, args.as_of, args.horizon, risk_store.threshold(s))
    finally:
        db.close()
    if args.json:
        print(json.dumps({"as_of": bt.cut.isoformat(), "horizon_days": bt.horizon,
                          "clients": bt.clients, "lost": bt.lost,
                          "auc_score": bt.auc_score, "auc_days_since": bt.auc_days_since,
                          "auc_at_risk_flag": bt.auc_flag,
                          "at_risk_precision": bt.flag_precision,
                          "at_risk_recall": bt.flag_recall,
                          "at_risk_threshold": bt.threshold,
                          "auc_old_gap_rule": bt.auc_old_rule,
                          "old_gap_rule_precision": bt.old_rule_precision,
                          "old_gap_rule_recall": bt.old_rule_recall,
                          "auc_by_model": dict(bt.auc_models),
                          **_risk_choice(bt.choice)}, ensure_ascii=False, indent=2))
        return 0
    print(f"cut at {bt.cut.isoformat()}: {bt.clients} client(s) with a purchase, {bt.lost} "
          f"of them bought nothing in the {bt.horizon} days after")
    print(_risk_choice_line(bt.choice))
    print(f"  AUC of the risk score ({bt.model}):    {_auc(bt.auc_score)}")
    print(f"  AUC of days since the last purchase: {_auc(bt.auc_days_since)}")
    print(f"  AUC of the at-risk flag:             {_auc(bt.auc_flag)}")
    print(f"  at-risk flag: precision {_auc(bt.flag_precision)}, "
          f"recall {_auc(bt.flag_recall)}")
    if bt.threshold is not None:
        print(f"  (the flag: a score of {bt.threshold:.0%} or more; the old gap rule: AUC "
              f"{_auc(bt.auc_old_rule)}, precision {_auc(bt.old_rule_precision)}, "
              f"recall {_auc(bt.old_rule_recall)})")
    print("  (AUC: the chance that a client who was lost scored above one who bought; "
          "0.5 is a coin toss)")
    return 0


def _cmd_migrate_to_postgres(args: argparse.Namespace) -> int:
    path = _existing(args.from_path)
    if path is None:
        return 2
    # lazy: start-up, --help imports none of the services
    from app.services.to_server import migrate_to_server

    counts = migrate_to_server(path, args.to_url, replace=args.replace)
    width = max(len(c.table) for c in counts)
    print(f"{'table':<{width}}  {'file':>9}  {'server':>9}")
    for c in counts:
        print(f"{c.table:<{width}}  {c.source:>9}  {c.target:>9}"
              + ("" if c.equal else "  DIFFERENT"))
    print(f"copied {sum(c.target for c in counts)} rows of {len(counts)} tables; "
          "every count is equal")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    if args.clients < 1:
        print("clientcare: --clients must be at least 1", file=sys.stderr)
        return 2
    # lazy: start-up, faker (the demo data) is slow to import
    from app.services.demo_file import create_demo_file

    summary = create_demo_file(args.path, clients=args.clients, locale=args.locale,
                               seed=args.seed, force=args.force)
    if summary is None:
        print(f"clientcare: {args.path} exists; kept as it is (use --force to replace it)",
              file=sys.stderr)
        return 1
    print(f"created {args.path}: {summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _cmd_demo(args)
        if args.command == "agenda":
            return _cmd_agenda(args)
        if args.command == "export-ics":
            return _cmd_export_ics(args)
        if args.command == "metrics":
            return _cmd_metrics(args)
        if args.command == "risk":
            return _cmd_risk(args)
        if args.command == "risk-check":
            return _cmd_risk_check(args)
        if args.command == "backup":
            return _cmd_backup(args)
        if args.command == "check":
            return _cmd_check(args)
        if args.command == "export":
            return _cmd_export(args)
        if args.command == "import":
            return _cmd_import(args)
        if args.command == "init":
            return _cmd_init(args)
        if args.command == "migrate-to-postgres":
            return _cmd_migrate_to_postgres(args)
    except DomainError as exc:
        print(f"clientcare: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `clientcare agenda | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        # lazy: start-up, the window paints before SQLAlchemy is imported (a command
        # that raised this imported it already)
        from sqlalchemy.exc import SQLAlchemyError
        if not isinstance(exc, (sqlite3.Error, SQLAlchemyError)):
            raise
        # busy (the window is saving for longer than the busy timeout), read-only, disk
        # full: the same sentence the window shows, never a traceback
        # lazy: start-up, --help imports none of the services
        from app.db import write_error
        print(f"clientcare: {write_error(exc)}", file=sys.stderr)
        return 2
    # the one lazy import that must stay: Qt only when the window opens, so --help,
    # --version and the commands run on a machine without a screen (and start fast)
    from app.ui.app import run_gui

    # without --db: the office server chosen in Settings, else this PC's own file
    path = args.demo or args.db
    return run_gui(path, demo=args.demo is not None, language=args.lang,
                   read_only=args.read_only, smoke_test=args.smoke_test)


if __name__ == "__main__":
    raise SystemExit(main())
