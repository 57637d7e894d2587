"""A morning's start of day (the incremental one the window runs) leaves the file exactly
as a full regeneration of that same file would: after each morning, a full regeneration
of every client and rule (``start_of_day(full=True)``, in a transaction rolled back
afterwards) creates, moves and cancels nothing, and every task row and every client's
figures stay as the morning left them; the calendar's kept counts equal its rows too.
The worlds and the edits between the days are those of test_start_of_day_equivalence."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from app.services import schedule, startup
from tests.conftest import depth
from tests.test_calendar_store import check as calendar_counts_exact
from tests.test_start_of_day_equivalence import START, _build, _clients, _edit, _tasks


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_a_mornings_result_equals_a_full_regeneration_of_the_same_file(tmp_path, seed,
                                                                       monkeypatch):
    monkeypatch.setattr(schedule, "DIRECT_SCOPE", 0)  # the edits' regenerations in SQL too
    db = _build(tmp_path / "f.sqlite", seed)
    try:
        with db.session() as s:
            startup.start_of_day(s, START - timedelta(days=1))
        steps = random.Random(seed)
        today, made, quiet = START, 0, 0
        for step in range(depth(16, 60)):
            with db.session() as s:
                morning = startup.start_of_day(s, today)
            made += morning.schedule.created
            quiet += morning.quiet_since is not None
            with db.sessions() as s:
                tasks, clients = _tasks(s), _clients(s)
                again = startup.start_of_day(s, today, full=True)
                st = again.schedule
                assert (st.created, st.moved, st.cancelled) == (0, 0, 0), (seed, step, today)
                assert not again.regrouped, (seed, step, today)
                s.flush()
                assert _tasks(s) == tasks, (seed, step, today)
                assert _clients(s) == clients, (seed, step, today)
                calendar_counts_exact(s)
                s.rollback()  # the file stays as the morning left it
            with db.session() as s:
                _edit(s, random.Random(seed * 100_003 + step), today, False)
            today += timedelta(days=steps.choice([1, 1, 1, 2, 3]))
        assert made > 0 and quiet > 0  # mornings made tasks, and followed quiet days
    finally:
        db.close()
