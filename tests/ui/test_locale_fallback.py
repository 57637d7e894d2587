"""With no --lang on a system whose locale is C or POSIX, the app speaks English with ISO
dates and the business's currency, not Qt's C locale ("20 11 2026", "759.48$")."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from app.models import Setting
from app.services import settings as settings_service
from app.ui.app import first_use, pick_locale
from app.ui.formatting import fmt_date, fmt_money, parse_date_input, parse_money

ROOT = Path(__file__).resolve().parents[2]


def test_c_locale_is_replaced_by_english_with_iso_dates():
    loc, fallback = pick_locale(None, QLocale.c())
    assert fallback and loc.language() == QLocale.Language.English
    assert fmt_date(date(2026, 11, 20), loc) == "2026-11-20"
    assert fmt_money(Decimal("759.48"), "PLN", loc) == "zł759.48"
    assert parse_money("759,48", loc) == Decimal("759.48")
    assert parse_date_input("10 12 2026", loc) == date(2026, 12, 10)


def test_a_real_locale_or_lang_is_kept():
    pl = QLocale(QLocale.Language.Polish, QLocale.Country.Poland)
    assert pick_locale(None, pl) == (pl, False)
    loc, fallback = pick_locale("bg_BG", QLocale.c())
    assert loc.language() == QLocale.Language.Bulgarian and not fallback


@pytest.mark.parametrize("env", [{"LANG": "C", "LC_ALL": "C"}, {"LC_ALL": "POSIX"},
                                 {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}])
def test_started_under_lang_c(env):
    """The real start-up path: the system locale is C; what the window would show."""
    code = (
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QLocale\n"
        "from datetime import date\nfrom decimal import Decimal\n"
        "from app.ui.app import install_translations\n"
        "from app.ui.formatting import fmt_date, fmt_money\n"
        "app = QApplication([])\n"
        "assert QLocale.system().language() == QLocale.Language.C\n"
        "install_translations(app)\n"
        "print(fmt_date(date(2026, 11, 20)), fmt_money(Decimal('759.48'), 'PLN'),"
        " app.property('clientcare_locale_fallback'), app.property('clientcare_translators'))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**clean, **env, "QT_QPA_PLATFORM": "offscreen",
                              "PYTHONPATH": str(ROOT)}, cwd=ROOT, timeout=120, check=True)
    assert out.stdout.split() == ["2026-11-20", "zł759.48", "True", "2"]


def test_first_use_takes_no_country_from_the_stand_in(db, qapp):
    first_use(db, pick_locale(None, QLocale.c())[0], guess_region=False)
    with db.session() as s:
        assert s.get(Setting, "business.region") is None  # not "CA" from the stand-in
        assert settings_service.get(s, "business.currency") == "PLN"
    first_use(db, QLocale(QLocale.Language.Bulgarian, QLocale.Country.Bulgaria))
    with db.session() as s:
        assert settings_service.get(s, "business.region") == "BG"
