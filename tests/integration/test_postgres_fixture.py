"""The throwaway PostgreSQL fixtures work: a real server answers, and every test gets a
fresh database of its own that is dropped afterwards."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.postgres

# Databases handed to earlier runs of the isolation test, to check they are gone.
_seen: list[str] = []


def test_postgres_url_reaches_a_real_server(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert "PostgreSQL" in conn.execute(text("select version()")).scalar_one()
    finally:
        engine.dispose()


# Run twice: whichever run comes second would see the first one's table if the two
# databases were shared.
@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_its_own_empty_database(
    pg_database_url: str, postgres_url: str, run: int
) -> None:
    name = make_url(pg_database_url).database
    assert name not in _seen

    engine = create_engine(pg_database_url)
    server = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(text("select to_regclass('marker')")).scalar_one() is None
            conn.execute(text("create table marker (run int)"))
            conn.execute(text("insert into marker values (:run)"), {"run": run})
        with server.connect() as conn:
            existing = set(conn.execute(text("select datname from pg_database")).scalars())
        assert name in existing
        assert not existing & set(_seen), "an earlier test's database was not dropped"
    finally:
        engine.dispose()
        server.dispose()
    _seen.append(name)
