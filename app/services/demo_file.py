"""Making a demo file: a database of invented clients for trying ClientCare out, used by
``clientcare demo`` and by the window's ``--demo PATH``."""

from __future__ import annotations

from pathlib import Path

from app.db import open_database
from app.services import settings as settings_service
from app.services.demo import DemoSummary, create_demo, demo_locale

#: the demo business's country (for phone numbers) and currency, by demo locale
DEMO_BUSINESS = {"en_US": ("US", "USD"), "pl_PL": ("PL", "PLN"), "ru_RU": ("RU", "RUB"),
                 "bg_BG": ("BG", "EUR")}


def create_demo_file(path: Path, *, clients: int = 300, locale: str = "en_US",
                     seed: int = 2026, force: bool = False) -> DemoSummary | None:
    """Create a demo database at ``path``. Refuses to touch an existing file unless
    ``force`` (returns None: an existing demo is kept as it is, after the same checks
    as any open)."""
    path = Path(path).expanduser()
    if path.exists() and path.stat().st_size > 0:
        if not force:
            open_database(path).close()
            return None
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(path)
    try:
        with db.session() as s:
            summary = create_demo(s, clients=clients, locale=locale, seed=seed)
            region, currency = DEMO_BUSINESS.get(demo_locale(locale), ("US", "USD"))
            settings_service.put(s, "business.region", region)
            settings_service.put(s, "business.currency", currency)
            return summary
    finally:
        db.close()
