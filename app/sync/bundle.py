"""The bundle file: one signed, encrypted, self-checking file per exchange.

Layout::

    MAGIC (14 bytes) | format version (u16) | header length (u32) | header (JSON)
    | secretstream header (24 bytes) | frames: length (u32) + ciphertext ...

The header is readable without keys (bundle id, kind, sender, and for each recipient the
stream key sealed to its X25519 key) so ``bundle inspect`` can say what a file is. Every
frame is a message of one XChaCha20-Poly1305 secretstream (libsodium): the first is the
manifest, then the compressed records, and the last, tagged final, the sender's Ed25519
signature of the header, the manifest and the records' hash. Signing inside the
encryption hides who signed from a stranger; the final tag makes a truncated file fail;
the header is the first frame's additional data, so changing it fails too.

Records are JSON lines, one change each, deflate-compressed as one stream cut in frames.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from nacl import bindings as sodium
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from app.i18n import _
from app.services.errors import FieldError, InputRejected
from app.services.keys import Identity, UnlockedKeys, verify
from app.sync import records as record_stream

MAGIC = b"SIJILL-BUNDLE\n"
FORMAT_VERSION = 1
# The oldest reader that understands what this version writes.
MIN_READER = 1
KINDS = ("delta", "snapshot", "receipt", "reference")
FRAME = 1 << 20  # plaintext bytes per records frame
MAX_HEADER = 1 << 20
MAX_FRAME = FRAME + 4096
ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL


class BundleRejected(InputRejected):
    """The bundle was refused whole, for one reason, and nothing was changed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(FieldError("bundle", reason))


@dataclass(frozen=True)
class Header:
    bundle_id: str
    kind: str
    sender_key_id: str
    sender_role: str
    sender_code: str
    created_ms: int
    # recipient key id → the stream key sealed to that recipient
    sealed_keys: dict[str, bytes] = field(repr=False)

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "bundle_id": self.bundle_id,
                "kind": self.kind,
                "sender": {
                    "key_id": self.sender_key_id,
                    "role": self.sender_role,
                    "code": self.sender_code,
                },
                "created_ms": self.created_ms,
                "recipients": {k: v.hex() for k, v in sorted(self.sealed_keys.items())},
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Header:
        document = json.loads(data)
        sender = document["sender"]
        return cls(
            bundle_id=str(document["bundle_id"]),
            kind=str(document["kind"]),
            sender_key_id=str(sender["key_id"]),
            sender_role=str(sender["role"]),
            sender_code=str(sender["code"]),
            created_ms=int(document["created_ms"]),
            sealed_keys={k: bytes.fromhex(v) for k, v in document["recipients"].items()},
        )


@dataclass(frozen=True)
class Opened:
    """A bundle decrypted and verified: its header, manifest and compressed records."""

    header: Header
    manifest: dict[str, Any]
    records: bytes
    digest: str

    def changes(self) -> Iterator[tuple[Any, ...]]:
        """The records, one change at a time, decompressed as they go."""
        return record_stream.decompress(self.records)


def _signed_message(header: bytes, manifest: bytes, records_hash: bytes) -> bytes:
    return hashlib.blake2b(
        b"sijill-bundle\0" + struct.pack(">I", len(header)) + header + manifest + records_hash
    ).digest()


def write(
    path: Path,
    *,
    header: Header,
    manifest: dict[str, Any],
    records: bytes,
    keys: UnlockedKeys,
    stream_key: bytes,
) -> None:
    """Write the bundle to ``path`` atomically: a temporary file in the same folder,
    flushed to the disk, then renamed (a USB stick pulled out early leaves no bundle
    rather than half of one)."""
    header_json = header.to_json()
    # The readable part exactly as written: the first frame's additional data and part of
    # what is signed, so not one bit of it can change unnoticed.
    header_bytes = MAGIC + struct.pack(">HI", FORMAT_VERSION, len(header_json)) + header_json
    manifest = {**manifest, "records_hash": hashlib.blake2b(records).hexdigest()}
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    signature = keys.sign(
        _signed_message(header_bytes, manifest_bytes, hashlib.blake2b(records).digest())
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(header_bytes)
            state = sodium.crypto_secretstream_xchacha20poly1305_state()
            file.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(state, stream_key))

            def frame(data: bytes, *, tag: int = TAG_MESSAGE, ad: bytes | None = None) -> None:
                cipher = sodium.crypto_secretstream_xchacha20poly1305_push(state, data, ad, tag)
                file.write(struct.pack(">I", len(cipher)) + cipher)

            frame(manifest_bytes, ad=header_bytes)
            for start in range(0, len(records), FRAME):
                frame(records[start : start + FRAME])
            frame(signature, tag=TAG_FINAL)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def seal_key(stream_key: bytes, recipient: Identity) -> bytes:
    return SealedBox(PublicKey(recipient.box_public)).encrypt(stream_key)


def new_stream_key() -> bytes:
    return sodium.crypto_secretstream_xchacha20poly1305_keygen()


def _read_exactly(file: BinaryIO, size: int) -> bytes:
    data = file.read(size)
    if len(data) != size:
        raise BundleRejected(_("The bundle is cut short (an incomplete copy?)."))
    return data


def read_header(file: BinaryIO) -> tuple[Header, bytes]:
    """The readable part of a bundle, and its bytes as read; BundleRejected if the file
    is not a bundle."""
    magic = file.read(len(MAGIC))
    if magic != MAGIC:
        raise BundleRejected(_("This file is not a Sijill sync bundle."))
    prefix = _read_exactly(file, 6)
    version, length = struct.unpack(">HI", prefix)
    if version > FORMAT_VERSION:
        raise BundleRejected(_("This bundle was made by a newer Sijill: update Sijill."))
    if version < 1 or length > MAX_HEADER:
        raise BundleRejected(_("This bundle is damaged."))
    raw = _read_exactly(file, length)
    try:
        header = Header.from_json(raw)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BundleRejected(_("This bundle is damaged.")) from None
    if header.kind not in KINDS:
        raise BundleRejected(_("This bundle is damaged."))
    return header, magic + prefix + raw


def inspect_file(path: Path) -> Header:
    with path.open("rb") as file:
        return read_header(file)[0]


def open_bundle(path: Path, *, keys: UnlockedKeys, sender: Identity | None) -> Opened:
    """Decrypt and verify the bundle at ``path`` for this register.

    ``sender`` is the trusted identity named by the header's sender key (None when that
    key is unknown here). Any failure raises BundleRejected with one reason.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BundleRejected(
            _("The bundle cannot be read: {reason}").format(reason=error.strerror)
        ) from None
    file = io.BytesIO(data)
    header, header_bytes = read_header(file)
    sealed = header.sealed_keys.get(keys.identity.key_id)
    if sealed is None:
        raise BundleRejected(_("This bundle is addressed to another register."))
    if sender is None:
        raise BundleRejected(
            _("This bundle comes from a register this one does not trust ({code}).").format(
                code=header.sender_code
            )
        )
    try:
        stream_key = SealedBox(PrivateKey(bytes(keys.box_private))).decrypt(sealed)
        state = sodium.crypto_secretstream_xchacha20poly1305_state()
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(
            state,
            _read_exactly(file, sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES),
            stream_key,
        )
        frames: list[bytes] = []
        tag = TAG_MESSAGE
        while tag != TAG_FINAL:
            (length,) = struct.unpack(">I", _read_exactly(file, 4))
            if length > MAX_FRAME or length < ABYTES:
                raise BundleRejected(_("This bundle is damaged."))
            cipher = _read_exactly(file, length)
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                state, cipher, header_bytes if not frames else None
            )
            frames.append(plain)
    except CryptoError:
        raise BundleRejected(
            _("This bundle is damaged or was altered after it was made.")
        ) from None
    if file.read(1):
        raise BundleRejected(_("This bundle is damaged."))
    if len(frames) < 2:
        raise BundleRejected(_("This bundle is damaged."))
    manifest_bytes, signature = frames[0], frames[-1]
    records = b"".join(frames[1:-1])
    records_hash = hashlib.blake2b(records).digest()
    if not verify(sender, _signed_message(header_bytes, manifest_bytes, records_hash), signature):
        raise BundleRejected(_("The bundle's signature is not its sender's: it is refused."))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BundleRejected(_("This bundle is damaged.")) from None
    if int(manifest.get("min_reader", 1)) > FORMAT_VERSION:
        raise BundleRejected(_("This bundle needs a newer Sijill: update Sijill."))
    if manifest.get("records_hash") != records_hash.hex():
        raise BundleRejected(_("This bundle is damaged."))
    digest = hashlib.blake2b(data, digest_size=32).hexdigest()
    return Opened(header, manifest, records, digest)
