"""Where the data lives and the defaults of every rule (DOMAIN.md).

Every number a rule uses is a setting the owner can change; its default lives here and
nowhere else. ``app/services/settings.py`` reads and writes the stored values.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import platformdirs

APP_NAME = "ClientCare"
APP_AUTHOR = "ClientCare"
DB_FILENAME = "clientcare.sqlite"


def is_server_url(text: object) -> bool:
    """A database named by a PostgreSQL URL (office mode, app/server.py) rather than a
    file's path. Here, beside the default path, so the command line tells the two apart
    without importing SQLAlchemy."""
    return str(text).startswith(("postgresql:", "postgresql+", "postgres:"))


#: a file of this name beside the packaged program makes it portable: the data (the
#: database, its backups, the log) live in a ``data`` folder beside the program, so the
#: whole folder can be carried on a USB stick (README "Install", the portable zip)
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "data"


def program_dir() -> Path | None:
    """The folder of the packaged program (PyInstaller sets ``sys.frozen``), or None
    when ClientCare runs from its source."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def portable_data_dir(folder: Path | None = None) -> Path | None:
    """``data`` beside the program when :data:`PORTABLE_MARKER` is there (``folder``:
    the program's folder, default :func:`program_dir`), else None."""
    folder = folder if folder is not None else program_dir()
    if folder is None or not (folder / PORTABLE_MARKER).is_file():
        return None
    return folder / PORTABLE_DATA


def data_dir() -> Path:
    """The user's data folder for ClientCare (not created here); a portable program's
    ``data`` folder beside it (:func:`portable_data_dir`)."""
    return portable_data_dir() or Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    """This PC's own choices that are no data (the office server it opens: app/office_choice.py):
    the user's config folder (not created here); a portable program's ``data`` folder
    beside it, so the choice travels with the program."""
    return portable_data_dir() or Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


BACKUP_FOLDERS_FILE = "backup-folders.json"


def default_backup_dir(db_path: Path) -> Path:
    """Without a choice, backups sit beside the database in a ``backups`` folder."""
    return db_path.parent / "backups"


def _backup_folders_file() -> Path:
    # kept outside the database: a damaged database must still find its backups
    return data_dir() / BACKUP_FOLDERS_FILE


def _backup_folders() -> dict[str, str]:
    try:
        data = json.loads(_backup_folders_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def backup_dir_for(db_path: Path) -> Path:
    """The backups folder of a database: the one chosen in Settings → Backups (another
    disk, say), else ``backups`` beside the database."""
    key = str(Path(db_path).expanduser().resolve())
    chosen = _backup_folders().get(key)
    return Path(chosen) if chosen else default_backup_dir(db_path)


def set_backup_dir(db_path: Path, folder: Path | None) -> None:
    """Remember the chosen backups folder of a database (None: back to the default)."""
    key = str(Path(db_path).expanduser().resolve())
    data = _backup_folders()
    if folder is None or Path(folder) == default_backup_dir(Path(key)):
        data.pop(key, None)
    else:
        data[key] = str(Path(folder).expanduser().resolve())
    path = _backup_folders_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: object
    kind: type
    minimum: object | None = None
    maximum: object | None = None


def _defs(*items: SettingDef) -> dict[str, SettingDef]:
    return {d.key: d for d in items}


#: Every setting with its default, from DOMAIN.md "Contacts the product schedules",
#: "Contact rules" and the client-status rules.
SETTINGS: dict[str, SettingDef] = _defs(
    # The business
    SettingDef("business.region", "PL", str),
    SettingDef("business.currency", "PLN", str),
    SettingDef("business.name", "", str),
    #: ISO weekdays the business works (1 = Monday); "no answer" moves to the next one
    SettingDef("business.working_days", "123456", str),
    # Client status
    SettingDef("status.new_until_purchases", 3, int, 1, 50),
    SettingDef("status.default_gap_days", 90, int, 1, 3650),
    SettingDef("status.gap_multiplier", Decimal("2"), Decimal, Decimal("1"), Decimal("10")),
    SettingDef("status.min_purchases_for_own_gap", 3, int, 2, 50),
    SettingDef("status.lapsed_after_days", 365, int, 30, 3650),
    SettingDef("value.window_days", 365, int, 30, 3650),
    # Churn risk (DOMAIN.md "Churn risk"): the horizon N of "no purchase in the next N
    # days" and the score from which a client is at risk, in percent. DOMAIN.md names no
    # threshold; 60 was measured (bench/bench_risk_refresh.py --thresholds, RESULTS.md
    # "Issue 15 [10]: the score in the product"): at four cuts of the benchmark file and
    # CDNOW it flags about as many clients as the old gap rule did, with a higher F1 at
    # all four (precision and recall both higher at three)
    SettingDef("risk.horizon_days", 90, int, 7, 730),
    SettingDef("risk.threshold_percent", 60, int, 1, 99),
    # A/B/C groups: the clients making the first 80 % of 12-month revenue are A (if they
    # bought on at least 3 days), the next 15 % B, the rest C (app/services/segments.py)
    SettingDef("segment.a_revenue_share", 80, int, 1, 99),
    SettingDef("segment.b_revenue_share", 15, int, 0, 99),
    SettingDef("segment.a_min_purchases", 3, int, 1, 365),
    # Scheduling (used by the call queue)
    SettingDef("rule.follow_up.enabled", True, bool),
    SettingDef("rule.follow_up.after_days", 3, int, 0, 60),
    SettingDef("rule.follow_up.window_days", 7, int, 0, 60),
    SettingDef("rule.follow_up.min_amount", Decimal("0"), Decimal, Decimal("0"), None),
    SettingDef("rule.onboarding.enabled", True, bool),
    SettingDef("rule.onboarding.after_days", 7, int, 0, 90),
    SettingDef("rule.renewal.enabled", True, bool),
    SettingDef("rule.renewal.before_days", 14, int, 0, 120),
    SettingDef("rule.personal_date.enabled", True, bool),
    #: personal-date calls and gift reminders appear this many days ahead in the queue
    SettingDef("rule.personal_date.horizon_days", 30, int, 1, 366),
    SettingDef("rule.gift.before_days", 3, int, 0, 60),
    SettingDef("rule.complaint_callback.after_days", 2, int, 0, 30),
    SettingDef("rule.complaint_review.after_days", 1, int, 0, 30),
    SettingDef("rule.win_back.enabled", True, bool),
    SettingDef("rule.keep_in_touch.enabled", True, bool),
    SettingDef("rule.keep_in_touch.days", 60, int, 7, 730),
    SettingDef("rule.quarterly_review.enabled", True, bool),
    SettingDef("contact.cap_count", 3, int, 1, 100),
    SettingDef("contact.cap_days", 30, int, 1, 365),
    SettingDef("contact.max_attempts", 3, int, 1, 20),
    SettingDef("membership.freeze_extends_end", True, bool),
    SettingDef("complaint.first_response_hours", 24, int, 1, 720),
    #: compensation a role may grant on the spot; more needs the owner's approval
    SettingDef("complaint.limit.receptionist", Decimal("50"), Decimal, Decimal("0"), None),
    SettingDef("complaint.limit.manager", Decimal("300"), Decimal, Decimal("0"), None),
    # Backups: automatic ones kept per day and per week (app/services/backups.py)
    SettingDef("backup.keep_daily", 7, int, 1, 60),
    SettingDef("backup.keep_weekly", 4, int, 0, 52),
    # Staff logins on a single PC (app/services/auth.py): off until the owner turns them
    # on; an office server always asks everyone to sign in
    SettingDef("security.logins", False, bool),
    # The short notice of the day's calls on the first start of a day (app/ui/day_notice.py)
    SettingDef("notice.day_start", True, bool),
    # The column mappings chosen in the import wizard, by file layout (JSON)
    SettingDef("import.mappings", "{}", str),
    # Book-keeping, not shown to the user
    SettingDef("internal.stats_as_of", "", str),
    #: the days the 12-month values were computed for since then (app/services/clients.py)
    SettingDef("internal.stats_span", "", str),
    #: the last kept risk scores: as of, horizon, model and why (app/services/risk_store.py)
    SettingDef("internal.risk_run", "", str),
    #: the day the day-start notice was last shown (app/services/agenda.py)
    SettingDef("internal.day_notice_on", "", str),
)
