"""The delegation's sync service: a centre sends its bundle over HTTP and reads the reply;
when the service cannot be reached, the bundle waits in the outbox."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from app.config import data_dir
from app.i18n import _
from app.services import keys
from app.services.centres import initialise_delegation
from app.services.dump import dump_records
from app.services.register import Register, open_register
from app.sync.server import ExchangeService, create_app
from tests.integration.conftest import Result, init_args

PASSPHRASE = "a long enough passphrase"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def delegation(tmp_path: Path) -> Iterator[tuple[Register, keys.UnlockedKeys]]:
    register = open_register(str(tmp_path / "delegation.sqlite"))
    with register.unit_of_work() as uow:
        initialise_delegation(uow, province_code="03.561")
        unlocked = keys.unlock(uow, passphrase=PASSPHRASE)
    yield register, unlocked
    register.close()


@pytest.fixture
def service(delegation: tuple[Register, keys.UnlockedKeys]) -> Iterator[str]:
    """The service running on a free local port, in a thread; yields its address."""
    register, unlocked = delegation
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(ExchangeService(register, unlocked)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def centre(
    run_cli: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    delegation: tuple[Register, keys.UnlockedKeys],
) -> Callable[..., Result]:
    """A demo centre (the CLI's database) enrolled with the delegation."""
    register, unlocked = delegation
    monkeypatch.setenv("SIJILL_PASSPHRASE", PASSPHRASE)
    assert run_cli(*init_args()).code == 0
    assert run_cli("demo", "--beneficiaries", "20").code == 0
    identity_file = tmp_path / "delegation.id"
    identity_file.write_bytes(keys.identity_file(unlocked))
    assert run_cli("keys", "trust", str(identity_file)).code == 0
    assert run_cli("keys", "export", "-o", str(tmp_path / "centre.id")).code == 0
    with register.unit_of_work() as uow:
        keys.trust(uow, keys.read_identity_file((tmp_path / "centre.id").read_bytes()))
    return run_cli


def test_a_centre_syncs_over_http(
    centre: Callable[..., Result], service: str, delegation: tuple[Register, keys.UnlockedKeys]
) -> None:
    result = centre("sync", "now", "--url", service)
    assert result.code == 0, result.err
    status = json.loads(centre("sync", "status", "--json").out)
    (peer,) = status["peers"]
    assert peer["confirmed"] == status["own_changes"] > 0 and peer["pending"] == 0
    assert not list((data_dir() / "outbox").glob("*.sjl")), "the outbox is empty once sent"
    # The address is remembered: the next time needs no --url.
    assert centre("sync", "now").code == 0
    register, _unlocked = delegation
    with register.unit_of_work(read_only=True) as uow:
        people = dump_records(uow)["tables"]["beneficiary"]
    assert len(people) == 20


def test_an_unreachable_service_leaves_the_bundle_in_the_outbox(
    centre: Callable[..., Result],
) -> None:
    closed = f"http://127.0.0.1:{_free_port()}"
    began = time.monotonic()
    result = centre("sync", "now", "--url", closed, "--attempts", "3", "--pause", "0.05")
    assert result.code == 3
    assert time.monotonic() - began >= 0.15, "it waited between tries (0.05 s, then 0.1 s)"
    waiting = list((data_dir() / "outbox").glob("*.sjl"))
    assert len(waiting) == 1
    assert str(waiting[0].parent) in result.err


def test_the_service_refuses_a_bundle_it_cannot_trust(service: str, tmp_path: Path) -> None:
    request = urllib.request.Request(f"{service}/v1/exchange", data=b"not a bundle", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 422
    reason = json.loads(refused.value.read())["reason"]
    assert reason == _("This file is not a Sijill sync bundle.")
