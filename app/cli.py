"""The command line. With no command it opens the window; commands run without a display.

    clientcare [--db PATH] [--demo PATH] [--lang CODE]
    clientcare demo PATH [--clients N] [--locale pl_PL] [--seed N] [--force]
    clientcare --version | --help

Qt is imported only when the window opens, so ``--help``, ``--version`` and the
commands work on a machine without a screen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import __version__
from app.config import default_db_path
from app.errors import DomainError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clientcare",
        description="ClientCare: keep the clients you already have. "
                    "Without a command, opens the window.")
    p.add_argument("--version", action="version", version=f"ClientCare {__version__}")
    p.add_argument("--db", type=Path, metavar="PATH",
                   help=f"the database file to open or create (default: {default_db_path()})")
    p.add_argument("--demo", type=Path, metavar="PATH",
                   help="create a demo database of about 300 clients at PATH, then open it")
    p.add_argument("--lang", metavar="CODE",
                   help="the language of the window, e.g. en, pl, ru, bg (default: the system's)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("demo", help="create a demo database without opening the window")
    d.add_argument("path", type=Path)
    d.add_argument("--clients", type=int, default=300)
    d.add_argument("--locale", default="en_US", help="en_US, pl_PL, ru_RU or bg_BG")
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument("--force", action="store_true", help="replace an existing file")
    return p


#: the demo business's country (for phone numbers) and currency, by demo locale
DEMO_BUSINESS = {"en_US": ("US", "USD"), "pl_PL": ("PL", "PLN"), "ru_RU": ("RU", "RUB"),
                 "bg_BG": ("BG", "EUR")}


def create_demo_file(path: Path, *, clients: int = 300, locale: str = "en_US",
                     seed: int = 2026, force: bool = False):
    """Create a demo database at ``path``. Refuses to touch an existing file unless
    ``force``; an existing demo is kept as it is."""
    from app.db import open_database
    from app.services import settings
    from app.services.demo import create_demo, demo_locale

    path = Path(path).expanduser()
    if path.exists() and path.stat().st_size > 0:
        if not force:
            db = open_database(path)
            db.close()
            return None
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(path)
    try:
        with db.session() as s:
            summary = create_demo(s, clients=clients, locale=locale, seed=seed)
            region, currency = DEMO_BUSINESS.get(demo_locale(locale), ("US", "USD"))
            settings.put(s, "business.region", region)
            settings.put(s, "business.currency", currency)
            return summary
    finally:
        db.close()


def _cmd_demo(args: argparse.Namespace) -> int:
    if args.clients < 1:
        print("clientcare: --clients must be at least 1", file=sys.stderr)
        return 2
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
    except DomainError as exc:
        print(f"clientcare: {exc}", file=sys.stderr)
        return 2
    from app.ui.app import run_gui

    path = args.demo or args.db or default_db_path()
    return run_gui(path, demo=args.demo is not None, language=args.lang)


if __name__ == "__main__":
    raise SystemExit(main())
