"""Alembic environment. ClientCare runs migrations itself (app/db.py) on its own
connection, passed in ``config.attributes["connection"]``; the ``alembic`` command line
works too, with ``-x db=PATH``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The Charts page's and the calendar's kept figures (app/services/chart_store.py,
    calendar_store.py) are tables of triggers, not of the models: an autogenerate leaves
    them alone."""
    return not (type_ == "table" and str(name).startswith(("chart_", "calendar_")))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("pass the database with: alembic -x db=PATH ...")
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        _run(conn)
