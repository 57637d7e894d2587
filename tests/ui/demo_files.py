"""A Polish demo database made once per test module, and a fresh copy of it per test
(the quick start's tests open real files, so each test gets its own)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from app.db import open_database
from app.services import schedule
from app.services.demo import create_demo

TODAY = date(2026, 11, 20)


def demo_fixtures(name: str, clients: int):
    """(demo_file, demo): the module's file and a test's copy of it."""

    @pytest.fixture(scope="module")
    def demo_file(tmp_path_factory):
        path = tmp_path_factory.mktemp(name) / "demo.sqlite"
        db = open_database(path)
        with db.session() as s:
            create_demo(s, clients=clients, locale="pl_PL", seed=5, today=TODAY)
            schedule.regenerate(s, TODAY)
        db.close()
        return path

    @pytest.fixture
    def demo(demo_file, tmp_path):
        copy = tmp_path / "demo.sqlite"
        shutil.copy(demo_file, copy)
        return copy

    return demo_file, demo
