"""One exchange with the delegation's sync service: send what it has not acknowledged,
read its reply.

The bundle is written to the outbox first, so that when the service cannot be reached it
waits there, ready to be copied to a USB stick; the reply is imported in one transaction.
Every try is remembered (when, whether it got through, what went each way, the failures
in a row) for the Sync screen's status line and for the rhythm of the automatic tries
(app/sync/schedule.py), whether the command line or the desktop application made it.
The service's address is remembered too: the desktop application tries it by itself.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import today
from app.i18n import _
from app.services.context import get_setting, put_setting
from app.services.errors import FieldError, InputRejected
from app.services.keys import UnlockedKeys, keyring_available, protection
from app.services.register import Register
from app.services.unit_of_work import UnitOfWork
from app.sync import transports
from app.sync.bundle import BundleRejected
from app.sync.export import Exported, default_recipient, export_bundle
from app.sync.import_ import Imported, import_bundle

SYNC_URL = "sync_url"
LAST_TRY = "sync_service_last_try"
SCHEMES = ("http", "https")
EXAMPLE_URL = "http://192.168.1.20:8765"

# What a try came to.
EXCHANGED = "exchanged"
UNREACHABLE = "unreachable"
REFUSED = "refused"


@dataclass(frozen=True)
class LastTry:
    """The last try at the service."""

    kind: str  # EXCHANGED, UNREACHABLE or REFUSED
    at: dt.datetime
    #: Tries in a row that did not get through, this one included; 0 when it did.
    failures: int
    #: Changes in the bundle sent, and new changes the reply brought.
    sent: int = 0
    received: int = 0
    #: Why the delegation refused (REFUSED only).
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(),
            "failures": self.failures,
            "sent": self.sent,
            "received": self.received,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: object) -> LastTry | None:
        """The remembered try, or None if there is none (or it cannot be read)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                kind=str(data["kind"]),
                at=dt.datetime.fromisoformat(data["at"]),
                failures=int(data["failures"]),
                sent=int(data.get("sent", 0)),
                received=int(data.get("received", 0)),
                reason=str(data.get("reason", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Exchanged:
    """The service answered: the bundle went up and its reply was imported."""

    sent: Exported
    received: Imported
    last: LastTry


@dataclass(frozen=True)
class NotReached:
    """The service could not be reached after every attempt: the bundle waits."""

    sent: Exported
    error: transports.Unreachable
    last: LastTry

    @property
    def waiting(self) -> Path:
        """The bundle left in the outbox."""
        return self.sent.path


@dataclass(frozen=True)
class ServiceState:
    """What the Sync screen needs to exchange with the service by itself."""

    url: str | None
    #: A delegation is trusted: there is someone to exchange with.
    enrolled: bool
    #: The keys open only with a passphrase (no keyring keeps them).
    needs_passphrase: bool
    last: LastTry | None
    #: Where a bundle waits when the service cannot be reached.
    outbox: Path


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_url(field: str, value: str | None) -> str:
    """A web address of the service: http or https, with a host (and a valid port)."""
    text = (value or "").strip()
    wrong = InputRejected(
        FieldError(
            field,
            _("Give a web address starting with http:// or https://, such as {example}.").format(
                example=EXAMPLE_URL
            ),
        )
    )
    if not text or any(char.isspace() for char in text):
        raise wrong
    try:
        parts = urllib.parse.urlsplit(text)
        # Reading the port raises on one that is not a number in range.
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise wrong from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname or not port_ok:
        raise wrong
    return text


def service_url(uow: UnitOfWork) -> str | None:
    url = get_setting(uow.session, SYNC_URL)
    return url if isinstance(url, str) and url else None


def set_service_url(uow: UnitOfWork, url: str | None) -> str | None:
    """Remember the service's address (checked); a blank one forgets it, and with it the
    automatic exchanges."""
    checked = check_url("url", url) if url and url.strip() else None
    put_setting(uow.session, SYNC_URL, checked)
    return checked


def last_try(uow: UnitOfWork) -> LastTry | None:
    return LastTry.from_json(get_setting(uow.session, LAST_TRY))


def service_state(uow: UnitOfWork) -> ServiceState:
    kept = protection(uow)
    return ServiceState(
        url=service_url(uow),
        enrolled=default_recipient(uow) is not None,
        needs_passphrase=kept == "passphrase" or (kept is None and not keyring_available()),
        last=last_try(uow),
        outbox=transports.outbox(),
    )


def _remember(register: Register, tried: LastTry) -> LastTry:
    with register.unit_of_work() as uow:
        put_setting(uow.session, LAST_TRY, tried.to_json())
    return tried


@dataclass(frozen=True)
class Outgoing:
    """A bundle written to the outbox, on its way to the service."""

    exported: Exported
    #: Tries in a row that did not get through, counting this one should it fail.
    failures: int


def write_outgoing(register: Register, *, keys: UnlockedKeys) -> Outgoing:
    """Write the delta for the trusted delegation to the outbox (the first step)."""
    with register.unit_of_work() as uow:
        recipient = default_recipient(uow)
        if recipient is None:
            raise InputRejected(FieldError("to", _("Trust the delegation's identity first.")))
        before = last_try(uow)
        path = transports.outbox() / f"sijill-{keys.identity.code}-{today().isoformat()}.sjl"
        exported = export_bundle(uow, keys=keys, recipient=recipient, path=path)
    transports.clear_outbox(keep=path)
    return Outgoing(exported, (before.failures if before is not None else 0) + 1)


def deliver(outgoing: Outgoing, *, url: str, attempts: transports.Attempts | None = None) -> bytes:
    """Post the bundle and return the reply (the second step: the network only, no
    database, so it may wait without holding anyone up). Raises transports.Unreachable,
    or BundleRejected when the service refused the bundle."""
    return transports.post_bundle(check_url("url", url), outgoing.exported.path, attempts=attempts)


def not_reached(
    register: Register, outgoing: Outgoing, error: transports.Unreachable
) -> NotReached:
    """Remember a try that did not get through: the bundle waits in the outbox."""
    tried = LastTry(UNREACHABLE, _now(), outgoing.failures, sent=outgoing.exported.changes)
    return NotReached(outgoing.exported, error, _remember(register, tried))


def refused(register: Register, outgoing: Outgoing, error: BundleRejected) -> BundleRejected:
    """Remember a refusal (of the bundle, or of the reply here); returns the error."""
    _remember(
        register,
        LastTry(
            REFUSED,
            _now(),
            outgoing.failures,
            sent=outgoing.exported.changes,
            reason=error.reason,
        ),
    )
    return error


def take_reply(
    register: Register, *, keys: UnlockedKeys, outgoing: Outgoing, reply: bytes
) -> Exchanged:
    """Import the service's reply in one transaction (the last step)."""
    path = outgoing.exported.path
    received = path.with_suffix(".reply.sjl")
    received.write_bytes(reply)
    try:
        with register.unit_of_work() as uow:
            result = import_bundle(uow, keys=keys, path=received)
            tried = LastTry(
                EXCHANGED, _now(), 0, sent=outgoing.exported.changes, received=result.applied
            )
            put_setting(uow.session, LAST_TRY, tried.to_json())
    except BundleRejected as error:
        raise refused(register, outgoing, error) from None
    finally:
        received.unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    return Exchanged(outgoing.exported, result, tried)


def exchange(
    register: Register,
    *,
    keys: UnlockedKeys,
    url: str,
    attempts: transports.Attempts | None = None,
    written: Callable[[Exported], None] | None = None,
) -> Exchanged | NotReached:
    """Write the delta for the trusted delegation to the outbox, post it to the service at
    ``url`` and import the reply in one transaction: the three steps in a row.

    ``written`` is told about the bundle as soon as it is written, before the (possibly
    long) tries. A refusal by the delegation, of the bundle or by its reply, raises
    BundleRejected; the bundle then stays in the outbox too.
    """
    url = check_url("url", url)
    outgoing = write_outgoing(register, keys=keys)
    if written is not None:
        written(outgoing.exported)
    try:
        reply = deliver(outgoing, url=url, attempts=attempts)
    except transports.Unreachable as error:
        return not_reached(register, outgoing, error)
    except BundleRejected as error:
        raise refused(register, outgoing, error) from None
    return take_reply(register, keys=keys, outgoing=outgoing, reply=reply)
