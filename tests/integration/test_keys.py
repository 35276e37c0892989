"""The register's keys: sealed at rest, opened by the right secret only, exchanged as
identity files whose fingerprints both sides can read aloud."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import select

from app.models import LocalKey
from app.services import keys
from app.services.register import Register
from tests.integration.conftest import make_centre

PASSPHRASE = "سجل المركز 2026"


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps its secrets in this process, as the OS one would across them."""

    # Never chosen on its own: only where a test installs it.
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_keys_need_a_passphrase(register: Register) -> None:
    assert not keys.keyring_available()
    with register.unit_of_work() as uow, pytest.raises(keys.PassphraseNeeded):
        keys.unlock(uow)
    with register.unit_of_work() as uow, pytest.raises(keys.PassphraseNeeded, match="8"):
        keys.unlock(uow, passphrase="short")
    with register.unit_of_work() as uow:
        assert keys.own_identity(uow) is None, "a refused passphrase made no keys"
        made = keys.unlock(uow, passphrase=PASSPHRASE)
    with register.unit_of_work() as uow:
        again = keys.unlock(uow, passphrase=PASSPHRASE)
        assert again.identity == made.identity
        assert keys.protection(uow) == "passphrase"
        with pytest.raises(keys.PassphraseNeeded):
            keys.unlock(uow, passphrase="not the passphrase")
        with pytest.raises(keys.PassphraseNeeded):
            keys.unlock(uow)
    signature = made.sign(b"certificate 2026-0001")
    assert keys.verify(again.identity, b"certificate 2026-0001", signature)
    assert not keys.verify(again.identity, b"certificate 2026-0002", signature)


def test_private_keys_are_never_stored_in_the_clear(register: Register) -> None:
    with register.unit_of_work() as uow:
        unlocked = keys.unlock(uow, passphrase=PASSPHRASE)
    signing_seed = bytes(unlocked._signing)
    database = Path(register.url.removeprefix("sqlite:///"))
    # The write-ahead log too: a fresh write sits there until a checkpoint.
    raw = b"".join(p.read_bytes() for p in database.parent.glob(f"{database.name}*"))
    assert len(raw) > 100_000
    assert signing_seed not in raw
    assert bytes(unlocked.box_private) not in raw


def test_the_os_keyring_keeps_the_secret(register: Register, os_keyring: MemoryKeyring) -> None:
    with register.unit_of_work() as uow:
        made = keys.unlock(uow)
        assert keys.protection(uow) == "keyring"
    assert list(os_keyring.secrets) == [(keys.KEYRING_SERVICE, made.identity.key_id)]
    with register.unit_of_work() as uow:
        assert keys.unlock(uow).identity == made.identity
    # The database copied to a computer whose keyring lacks the secret cannot sign.
    os_keyring.secrets.clear()
    with register.unit_of_work() as uow, pytest.raises(keys.PassphraseNeeded):
        keys.unlock(uow)


def test_identity_files_are_exchanged_and_trusted(tmp_path: Path, register: Register) -> None:
    other = make_centre(str(tmp_path / "other.sqlite"))
    try:
        with register.unit_of_work() as uow:
            ours = keys.unlock(uow, passphrase=PASSPHRASE)
            file = keys.identity_file(ours)
        identity = keys.read_identity_file(file)
        assert identity == ours.identity
        assert identity.role == "centre" and identity.code == "ETF-TAZA-01"
        assert len(identity.fingerprint.replace(" ", "")) == 30
        with other.unit_of_work() as uow:
            trusted = keys.trust(uow, identity)
        assert not trusted.revoked
        with other.unit_of_work() as uow:
            assert [t.identity for t in keys.trusted_identities(uow)] == [identity]
            assert keys.known_identity(uow, identity.key_id) == trusted
            keys.revoke(uow, identity.key_id)
        with other.unit_of_work() as uow:
            assert keys.trust(uow, identity).revoked, "trusting again never lifts a revocation"
        with register.unit_of_work() as uow, pytest.raises(keys.InputRejected):
            keys.trust(uow, identity)
    finally:
        other.close()


@pytest.mark.parametrize(
    "alter",
    [
        lambda d: d.update(name="مركز آخر"),
        lambda d: d.update(box_public=d["sign_public"]),
        lambda d: d.update(self_signature="AAAA"),
        lambda d: d.pop("sign_public"),
        lambda d: d.update(format="something-else"),
    ],
)
def test_an_altered_identity_file_is_refused(register: Register, alter) -> None:  # noqa: ANN001
    with register.unit_of_work() as uow:
        document = json.loads(keys.identity_file(keys.unlock(uow, passphrase=PASSPHRASE)))
    alter(document)
    with pytest.raises(keys.InputRejected):
        keys.read_identity_file(json.dumps(document).encode())


@pytest.mark.parametrize("data", [b"", b"\xff\xfe garbage", b"[]", b'{"format": 1}'])
def test_garbage_is_not_an_identity(data: bytes) -> None:
    with pytest.raises(keys.InputRejected):
        keys.read_identity_file(data)


def test_one_key_pair_per_register(register: Register) -> None:
    with register.unit_of_work() as uow:
        keys.unlock(uow, passphrase=PASSPHRASE)
    with register.unit_of_work() as uow:
        keys.unlock(uow, passphrase=PASSPHRASE)
        assert len(uow.session.scalars(select(LocalKey)).all()) == 1
