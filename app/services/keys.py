"""This replica's keys and the identities it trusts: who signed a bundle or a certificate.

Each register has an Ed25519 key (signing bundles and certificates) and an X25519 key
(receiving bundles encrypted to it), made at the first need. The private keys are stored
sealed in the database: under a random secret kept in the operating system's keyring
(Windows Credential Manager, macOS Keychain, the desktop's Secret Service) when there is
one, otherwise under a passphrase stretched with Argon2id. They never sit in a file in the
clear.

Enrolment is an offline exchange of identity files: each side exports its public identity
(role, code, name, keys) and trusts the other's, after both read the same fingerprint
aloud or compare it on paper. A fingerprint is thirty digits in groups of five: easy to
read over the phone in Arabic or French, long enough that no forged key matches by chance.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass

from nacl import pwhash, secret, utils
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import select

from app.i18n import _
from app.models import Centre, LocalKey, Site, TerritoryUnit, TrustedKey
from app.services.errors import FieldError, InputRejected, NotInitialised
from app.services.unit_of_work import UnitOfWork

IDENTITY_FORMAT = "sijill-identity"
IDENTITY_VERSION = 1
KEYRING_SERVICE = "Sijill"
# libsodium's "interactive" Argon2id cost: about a tenth of a second and 64 MiB here, paid
# once per unlock; a stolen database still costs an attacker that much per guess.
KDF_OPS = pwhash.argon2id.OPSLIMIT_INTERACTIVE
KDF_MEM = pwhash.argon2id.MEMLIMIT_INTERACTIVE
MIN_PASSPHRASE = 8


class PassphraseNeeded(InputRejected):
    """The keys are (or must be) protected by a passphrase, and none or a wrong one came."""

    def __init__(self, message: str) -> None:
        super().__init__(FieldError("passphrase", message))


@dataclass(frozen=True)
class Identity:
    """The public face of a register: what the other side trusts."""

    role: str  # centre | delegation
    code: str  # the centre's code, or the delegation's province code
    name: str
    site_id: str
    sign_public: bytes
    box_public: bytes

    @property
    def key_id(self) -> str:
        return key_id_of(self.sign_public, self.box_public)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.sign_public, self.box_public)

    def payload(self) -> dict[str, object]:
        return {
            "format": IDENTITY_FORMAT,
            "version": IDENTITY_VERSION,
            "role": self.role,
            "code": self.code,
            "name": self.name,
            "site_id": self.site_id,
            "sign_public": _b64(self.sign_public),
            "box_public": _b64(self.box_public),
        }


@dataclass(frozen=True)
class TrustedIdentity:
    identity: Identity
    trusted_ms: int
    revoked_ms: int | None

    @property
    def revoked(self) -> bool:
        return self.revoked_ms is not None


class UnlockedKeys:
    """This register's private keys, in memory for the length of one piece of work."""

    def __init__(self, identity: Identity, *, signing: SigningKey, box: PrivateKey) -> None:
        self.identity = identity
        self._signing = signing
        self.box_private = box

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        return self._signing.sign(message).signature


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def key_id_of(sign_public: bytes, box_public: bytes) -> str:
    """A stable short name of a key pair: 32 hex digits of its BLAKE2b hash."""
    return hashlib.blake2b(sign_public + box_public, digest_size=16).hexdigest()


def fingerprint_of(sign_public: bytes, box_public: bytes) -> str:
    """Thirty digits in six groups, derived from both public keys (about 100 bits)."""
    digest = hashlib.blake2b(b"sijill-fingerprint" + sign_public + box_public).digest()
    groups = [f"{int.from_bytes(digest[i * 5 : i * 5 + 5], 'big') % 100_000:05d}" for i in range(6)]
    return " ".join(groups)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


# -- the operating system's keyring --------------------------------------------------------


def keyring_available() -> bool:
    """Whether this computer has a keyring that keeps secrets (not the "fail" stand-in)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring)


def _keyring_secret(key_id: str, *, create: bool) -> bytes | None:
    import keyring

    stored = keyring.get_password(KEYRING_SERVICE, key_id)
    if stored is None and create:
        stored = _b64(utils.random(secret.SecretBox.KEY_SIZE))
        keyring.set_password(KEYRING_SERVICE, key_id, stored)
    return base64.b64decode(stored) if stored is not None else None


def _passphrase_secret(passphrase: str, salt: bytes, *, ops: int, mem: int) -> bytes:
    return pwhash.argon2id.kdf(
        secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt, opslimit=ops, memlimit=mem
    )


# -- own keys ----------------------------------------------------------------------------


def _role_code_name(uow: UnitOfWork) -> tuple[str, str, str, str]:
    site = uow.session.scalars(select(Site)).one()
    if site.kind == "centre" and site.centre_id is not None:
        centre = uow.session.get(Centre, site.centre_id)
        if centre is not None:
            return site.site_id, "centre", centre.code, centre.name_ar
    if site.kind == "delegation" and site.province_code:
        unit = uow.session.scalars(
            select(TerritoryUnit).where(TerritoryUnit.code == site.province_code)
        ).first()
        name = unit.name_ar if unit is not None else site.province_code
        return site.site_id, "delegation", site.province_code, name
    raise NotInitialised(_("This register has no centre yet: run “sijill init” first."))


def _local_key(uow: UnitOfWork) -> LocalKey | None:
    return uow.session.scalars(select(LocalKey).order_by(LocalKey.created_ms.desc())).first()


def own_identity(uow: UnitOfWork) -> Identity | None:
    """This register's public identity, or None before its keys are made."""
    row = _local_key(uow)
    if row is None:
        return None
    site_id, role, code, name = _role_code_name(uow)
    return Identity(role, code, name, site_id, row.sign_public, row.box_public)


def protection(uow: UnitOfWork) -> str | None:
    """How the private keys are protected ("keyring" or "passphrase"); None before keys."""
    row = _local_key(uow)
    return row.protection if row else None


def _create(uow: UnitOfWork, *, passphrase: str | None) -> UnlockedKeys:
    signing, box = SigningKey.generate(), PrivateKey.generate()
    sign_public, box_public = bytes(signing.verify_key), bytes(box.public_key)
    key_id = key_id_of(sign_public, box_public)
    row = LocalKey(
        key_id=key_id,
        sign_public=sign_public,
        box_public=box_public,
        created_ms=_now_ms(),
    )
    if passphrase is not None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise PassphraseNeeded(
                _("The passphrase must have at least {count} characters.").format(
                    count=MIN_PASSPHRASE
                )
            )
        row.protection, row.salt = "passphrase", utils.random(pwhash.argon2id.SALTBYTES)
        row.kdf_ops, row.kdf_mem = KDF_OPS, KDF_MEM
        sealing = _passphrase_secret(passphrase, row.salt, ops=KDF_OPS, mem=KDF_MEM)
    elif keyring_available():
        row.protection = "keyring"
        sealing = _keyring_secret(key_id, create=True)
        assert sealing is not None
    else:
        raise PassphraseNeeded(
            _(
                "This computer has no keyring to keep the register's keys: choose a "
                "passphrase to protect them."
            )
        )
    row.sealed_private = bytes(secret.SecretBox(sealing).encrypt(bytes(signing) + bytes(box)))
    uow.session.add(row)
    uow.session.flush()
    site_id, role, code, name = _role_code_name(uow)
    identity = Identity(role, code, name, site_id, sign_public, box_public)
    return UnlockedKeys(identity, signing=signing, box=box)


def unlock(uow: UnitOfWork, *, passphrase: str | None = None) -> UnlockedKeys:
    """This register's private keys, made (and sealed) at the first need.

    With no keyring, ``passphrase`` protects new keys and opens existing ones; a missing
    or wrong one raises PassphraseNeeded, whose message says which.
    """
    row = _local_key(uow)
    if row is None:
        return _create(uow, passphrase=passphrase)
    if row.protection == "keyring":
        sealing = _keyring_secret(row.key_id, create=False) if keyring_available() else None
        if sealing is None:
            raise PassphraseNeeded(
                _(
                    "The register's keys are kept in another computer's keyring: this "
                    "copy cannot sign. Make new keys on this computer."
                )
            )
    else:
        if not passphrase:
            raise PassphraseNeeded(_("The register's keys are protected: give the passphrase."))
        assert row.salt is not None and row.kdf_ops is not None and row.kdf_mem is not None
        sealing = _passphrase_secret(passphrase, row.salt, ops=row.kdf_ops, mem=row.kdf_mem)
    try:
        private = secret.SecretBox(sealing).decrypt(row.sealed_private)
    except CryptoError:
        raise PassphraseNeeded(_("The passphrase does not open the register's keys.")) from None
    site_id, role, code, name = _role_code_name(uow)
    identity = Identity(role, code, name, site_id, row.sign_public, row.box_public)
    return UnlockedKeys(identity, signing=SigningKey(private[:32]), box=PrivateKey(private[32:]))


# -- identity files ------------------------------------------------------------------------


def identity_file(keys: UnlockedKeys) -> bytes:
    """The public identity as a small JSON file, signed by its own key (proof that whoever
    made the file holds the private key; the fingerprint proves whose key it is)."""
    payload = keys.identity.payload()
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    document = {**payload, "self_signature": _b64(keys.sign(body))}
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def read_identity_file(data: bytes) -> Identity:
    """The identity in an exported file; InputRejected if it is not one or was altered."""
    refused = InputRejected(
        FieldError("file", _("This file is not a Sijill identity, or it was altered."))
    )
    try:
        document = json.loads(data.decode("utf-8"))
        signature = base64.b64decode(document.pop("self_signature"), validate=True)
        if document.get("format") != IDENTITY_FORMAT:
            raise refused
        if document.get("version") != IDENTITY_VERSION:
            raise InputRejected(
                FieldError("file", _("This identity needs a newer Sijill: update Sijill."))
            )
        identity = Identity(
            role=str(document["role"]),
            code=str(document["code"]),
            name=str(document["name"]),
            site_id=str(document["site_id"]),
            sign_public=base64.b64decode(document["sign_public"], validate=True),
            box_public=base64.b64decode(document["box_public"], validate=True),
        )
        body = json.dumps(identity.payload(), sort_keys=True, ensure_ascii=False).encode()
        VerifyKey(identity.sign_public).verify(body, signature)
    except (ValueError, KeyError, TypeError, AttributeError, BadSignatureError, CryptoError):
        raise refused from None
    if identity.role not in ("centre", "delegation"):
        raise refused
    return identity


# -- trusted identities --------------------------------------------------------------------


def _trusted(row: TrustedKey) -> TrustedIdentity:
    identity = Identity(row.role, row.code, row.name, row.site_id, row.sign_public, row.box_public)
    return TrustedIdentity(identity, row.trusted_ms, row.revoked_ms)


def trust(uow: UnitOfWork, identity: Identity) -> TrustedIdentity:
    """Trust ``identity`` (after its fingerprint was compared); trusting it again refreshes
    its name and site, and never lifts a revocation."""
    own = own_identity(uow)
    if own is not None and own.key_id == identity.key_id:
        raise InputRejected(FieldError("file", _("This is this register's own identity.")))
    row = uow.session.get(TrustedKey, identity.key_id)
    if row is None:
        row = TrustedKey(
            key_id=identity.key_id,
            sign_public=identity.sign_public,
            box_public=identity.box_public,
            trusted_ms=_now_ms(),
        )
        uow.session.add(row)
    row.role, row.code, row.name, row.site_id = (
        identity.role,
        identity.code,
        identity.name,
        identity.site_id,
    )
    uow.session.flush()
    return _trusted(row)


def revoke(uow: UnitOfWork, key_id: str) -> TrustedIdentity:
    """Stop trusting a key (a stolen laptop): what it signs from now on is refused."""
    row = uow.session.get(TrustedKey, key_id)
    if row is None:
        raise InputRejected(FieldError("key", _("No trusted key has this id.")))
    if row.revoked_ms is None:
        row.revoked_ms = _now_ms()
    uow.session.flush()
    return _trusted(row)


def trusted_identities(uow: UnitOfWork) -> list[TrustedIdentity]:
    rows = uow.session.scalars(select(TrustedKey).order_by(TrustedKey.role, TrustedKey.code))
    return [_trusted(row) for row in rows]


def known_identity(uow: UnitOfWork, key_id: str) -> TrustedIdentity | None:
    """The identity behind ``key_id``: a trusted one, or this register's own (never
    revoked); None when the key is unknown here."""
    row = uow.session.get(TrustedKey, key_id)
    if row is not None:
        return _trusted(row)
    own = own_identity(uow)
    if own is not None and own.key_id == key_id:
        return TrustedIdentity(own, trusted_ms=0, revoked_ms=None)
    return None


def verify(identity: Identity, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``identity``'s signature of ``message``."""
    try:
        VerifyKey(identity.sign_public).verify(message, signature)
    except (BadSignatureError, ValueError):
        return False
    return True
