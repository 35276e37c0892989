"""This replica's own keys, and the identities of the other side it trusts.

Both tables are local: keys are never replicated. A private key is stored sealed
(XSalsa20-Poly1305) under a secret kept in the OS keyring or derived from a passphrase
with Argon2id, never in the clear.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class LocalKey(Base):
    """This replica's signing (Ed25519) and encryption (X25519) key pair."""

    __tablename__ = "local_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    box_public: Mapped[bytes] = mapped_column(LargeBinary)
    # The two private keys (64 bytes), sealed; nonce included.
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    protection: Mapped[str] = mapped_column(String(16))  # keyring | passphrase
    salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    kdf_ops: Mapped[int | None] = mapped_column(Integer)
    kdf_mem: Mapped[int | None] = mapped_column(BigInteger)
    created_ms: Mapped[int] = mapped_column(BigInteger)


class TrustedKey(Base):
    """The public identity of a delegation or a centre laptop this replica exchanges with."""

    __tablename__ = "trusted_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # centre | delegation
    # The centre's code, or the delegation's province code.
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[str] = mapped_column(String(32))
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    box_public: Mapped[bytes] = mapped_column(LargeBinary)
    trusted_ms: Mapped[int] = mapped_column(BigInteger)
    revoked_ms: Mapped[int | None] = mapped_column(BigInteger)
