"""Writes purchases until it is killed (tests/test_crash_safety.py).

    python tests/crash_writer.py DB_PATH RUN_TAG

Opens the database the way the app does (app.db.open_database), makes sure one client
exists, then commits one purchase per transaction. A purchase's key is printed (and
flushed) only after its commit returned, so every printed key must survive a SIGKILL.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select

from app.db import open_database
from app.models import Client, Purchase
from app.services import clients as client_service


def main(path: str, tag: str) -> None:
    db = open_database(path)
    with db.session() as s:
        client_id = s.scalar(select(Client.id).order_by(Client.id).limit(1))
        if client_id is None:
            client_id = client_service.save_client(s, client_service.ClientData(name="Crash Test"), region="PL")
    print("ready", flush=True)
    n = 0
    while True:
        key = f"{tag}-{n}"
        with db.session() as s:
            s.add(Purchase(client_id=client_id, purchased_on=date(2026, 1, 1),
                           amount=Decimal("1.00") + n % 100, item="crash", note=key * 20,
                           import_key=key))
        # the commit returned: only now is the purchase promised
        sys.stdout.write(key + "\n")
        sys.stdout.flush()
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
