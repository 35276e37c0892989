"""One exchange with the delegation's sync service (app/sync/exchange.py), on real
registers and a real uvicorn server: the delta goes up, the reply comes back and is
imported, and the try is remembered (for the Sync screen and the automatic rhythm); a
server that is down leaves the bundle in the outbox and counts the failures in a row; a
refusal is remembered with its reason; a wrong address is refused before anything."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from app.config import data_dir
from app.i18n import _
from app.services import keys
from app.services.beneficiaries import BeneficiaryInput, register_beneficiary
from app.services.centres import initialise_delegation
from app.services.dump import dump_records
from app.services.errors import InputRejected
from app.services.register import Register, open_register
from app.services.unit_of_work import UnitOfWork
from app.sync.bundle import BundleRejected
from app.sync.exchange import (
    EXCHANGED,
    REFUSED,
    UNREACHABLE,
    Exchanged,
    NotReached,
    check_url,
    exchange,
    last_try,
    service_state,
    service_url,
    set_service_url,
)
from app.sync.status import sync_status
from app.sync.transports import Attempts
from tests.integration.conftest import TODAY, Result, init_args, make_centre
from tests.integration.service_thread import ServiceThread, free_port

T = TypeVar("T")
PASSPHRASE = "a long enough passphrase"
QUICK = Attempts(count=2, first_pause=0.01)
PEOPLE = ("فاطمة", "خديجة", "سعاد")


@pytest.fixture(autouse=True)
def _laptops_without_keyring(no_keyring: None) -> None:
    """Keys under a passphrase, never in the keyring of the computer running the tests."""


@dataclass
class Side:
    register: Register
    keys: keys.UnlockedKeys


def _side(register: Register) -> Side:
    with register.unit_of_work() as uow:
        return Side(register, keys.unlock(uow, passphrase=PASSPHRASE))


@pytest.fixture
def delegation(tmp_path: Path) -> Iterator[Side]:
    register = open_register(str(tmp_path / "delegation.sqlite"))
    with register.unit_of_work() as uow:
        initialise_delegation(uow, province_code="03.561")
    yield _side(register)
    register.close()


@pytest.fixture
def centre(tmp_path: Path, delegation: Side) -> Iterator[Side]:
    """A centre with three people, enrolled both ways with the delegation."""
    register = make_centre(str(tmp_path / "centre.sqlite"))
    with register.unit_of_work() as uow:
        for given in PEOPLE:
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    family_name_ar="العلوي", given_name_ar=given, sex="F", birth_date="1990-05-06"
                ),
                today=TODAY,
            )
    side = _side(register)
    with register.unit_of_work() as uow:
        keys.trust(uow, delegation.keys.identity)
    with delegation.register.unit_of_work() as uow:
        keys.trust(uow, side.keys.identity)
    yield side
    register.close()


@pytest.fixture
def service(delegation: Side) -> Iterator[ServiceThread]:
    running = ServiceThread(delegation.register, delegation.keys).start()
    yield running
    running.stop()


def _outbox() -> list[Path]:
    return sorted((data_dir() / "outbox").glob("*.sjl"))


def _ask(side: Side, work: Callable[[UnitOfWork], T]) -> T:
    with side.register.unit_of_work(read_only=True) as uow:
        return work(uow)


def test_an_exchange_sends_the_delta_and_imports_the_reply(
    centre: Side, delegation: Side, service: ServiceThread
) -> None:
    written = []
    outcome = exchange(
        centre.register, keys=centre.keys, url=service.url, attempts=QUICK, written=written.append
    )
    assert isinstance(outcome, Exchanged)
    assert written == [outcome.sent], "told about the bundle before the tries"
    assert outcome.sent.changes > 0 and outcome.received.sender == delegation.keys.identity.code
    people = _ask(delegation, dump_records)["tables"]["beneficiary"]
    assert sorted(person["given_name_ar"] for person in people) == sorted(PEOPLE)
    [peer] = _ask(centre, sync_status).peers
    assert peer.pending == 0 and peer.confirmed_up_to is not None, "the reply held the receipt"
    assert _outbox() == [], "a bundle that arrived leaves the outbox"

    remembered = _ask(centre, last_try)
    assert remembered is not None and remembered == outcome.last
    assert (remembered.kind, remembered.failures) == (EXCHANGED, 0)
    assert remembered.sent == outcome.sent.changes
    assert remembered.received == outcome.received.applied

    # Nothing new since: the next exchange sends nothing.
    again = exchange(centre.register, keys=centre.keys, url=service.url, attempts=QUICK)
    assert isinstance(again, Exchanged)
    assert (again.sent.changes, again.received.applied) == (0, 0)
    assert again.last.at >= outcome.last.at


def test_a_service_that_is_down_keeps_the_bundle_and_counts_the_failures(
    centre: Side, delegation: Side
) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    first = exchange(centre.register, keys=centre.keys, url=down, attempts=QUICK)
    assert isinstance(first, NotReached)
    assert first.waiting.is_file() and _outbox() == [first.waiting]
    assert str(first.waiting.parent) in first.error.errors[0].message
    assert (first.last.kind, first.last.failures) == (UNREACHABLE, 1)
    second = exchange(centre.register, keys=centre.keys, url=down, attempts=QUICK)
    assert isinstance(second, NotReached)
    assert second.last.failures == 2
    assert _outbox() == [second.waiting], "one bundle waits: each holds all the older held"
    assert _ask(centre, last_try) == second.last

    # The service is back: the waiting bundle goes, the count starts again.
    running = ServiceThread(delegation.register, delegation.keys).start()
    try:
        back = exchange(centre.register, keys=centre.keys, url=running.url, attempts=QUICK)
    finally:
        running.stop()
    assert isinstance(back, Exchanged)
    assert (back.last.kind, back.last.failures) == (EXCHANGED, 0)
    assert _outbox() == []


def test_a_refusal_by_the_delegation_is_remembered_with_its_reason(
    centre: Side, delegation: Side, service: ServiceThread
) -> None:
    with delegation.register.unit_of_work() as uow:
        keys.revoke(uow, centre.keys.identity.key_id)
    with pytest.raises(BundleRejected) as refused:
        exchange(centre.register, keys=centre.keys, url=service.url, attempts=QUICK)
    remembered = _ask(centre, last_try)
    assert remembered is not None
    assert (remembered.kind, remembered.failures) == (REFUSED, 1)
    assert remembered.reason == refused.value.reason != ""
    assert len(_outbox()) == 1, "the refused bundle stays where it can be looked at"
    assert _ask(delegation, dump_records)["tables"]["beneficiary"] == []


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "delegation.local:8765",
        "ftp://192.168.1.20/",
        "http://",
        "https://:8765",
        "http://192.168.1.20:notaport",
        "http://192.168.1.20:99999",
        "http://host name/",
    ],
)
def test_a_wrong_address_is_refused_with_a_message(address: str) -> None:
    with pytest.raises(InputRejected) as refused:
        check_url("url", address)
    [error] = refused.value.errors
    assert error.field == "url"
    assert error.message == _(
        "Give a web address starting with http:// or https://, such as {example}."
    ).format(example="http://192.168.1.20:8765")


def test_addresses_are_kept_as_typed_and_a_blank_one_forgets(centre: Side) -> None:
    for address in ("http://192.168.1.20:8765", "https://sync.example.org/sijill/", "HTTP://a"):
        assert check_url("url", f"  {address} ") == address
    with centre.register.unit_of_work() as uow:
        set_service_url(uow, " https://sync.example.org ")
    state = _ask(centre, service_state)
    assert state.url == "https://sync.example.org"
    assert state.enrolled and state.needs_passphrase
    with centre.register.unit_of_work() as uow:
        set_service_url(uow, "")
    assert _ask(centre, service_url) is None


def test_sync_now_refuses_a_wrong_address_and_keeps_none(
    run_cli: Callable[..., Result],
) -> None:
    assert run_cli(*init_args()).code == 0
    result = run_cli("sync", "now", "--url", "ftp://192.168.1.20")
    assert result.code == 3
    assert "http://" in result.err and "Traceback" not in result.err
    again = run_cli("sync", "now")
    assert again.code == 3, "the wrong address was not remembered"
    assert _("Give the address of the delegation's service (--url).") in again.err
