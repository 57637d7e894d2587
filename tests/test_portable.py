"""Portable mode (app/config.py): portable.txt beside the packaged program keeps the
data (database, backups, log, backup folders' list) in ``data`` beside it."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from app import config


@pytest.fixture
def program(tmp_path, monkeypatch):
    """A fake packaged program: a folder with an executable, and sys.frozen set as
    PyInstaller sets it."""
    folder = tmp_path / "ClientCare"
    folder.mkdir()
    exe = folder / "clientcare.exe"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return folder


def _usual() -> Path:
    return Path(platformdirs.user_data_dir(config.APP_NAME, config.APP_AUTHOR))


def test_with_the_marker_the_data_lives_beside_the_program(program):
    (program / config.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    here = program.resolve() / "data"
    assert config.program_dir() == program.resolve()
    assert config.data_dir() == here
    assert config.default_db_path() == here / "clientcare.sqlite"
    assert config.default_backup_dir(config.default_db_path()) == here / "backups"
    assert config._backup_folders_file() == here / config.BACKUP_FOLDERS_FILE
    assert not here.exists()  # found, not created


def test_without_the_marker_the_user_s_folder(program):
    assert config.portable_data_dir() is None
    assert config.data_dir() == _usual()


def test_a_folder_named_like_the_marker_is_not_one(program):
    (program / config.PORTABLE_MARKER).mkdir()
    assert config.data_dir() == _usual()


def test_from_source_a_marker_beside_python_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    (tmp_path / config.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert config.program_dir() is None
    assert config.data_dir() == _usual()
    # the folder may still be given: what the packaged program does
    assert config.portable_data_dir(tmp_path) == tmp_path / "data"


def test_the_chosen_backup_folder_is_remembered_in_the_portable_data(program, tmp_path):
    (program / config.PORTABLE_MARKER).write_text("", encoding="utf-8")
    db = config.default_db_path()
    other = tmp_path / "stick-backups"
    config.set_backup_dir(db, other)
    assert (program.resolve() / "data" / config.BACKUP_FOLDERS_FILE).is_file()
    assert config.backup_dir_for(db) == other.resolve()
