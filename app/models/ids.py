"""Row identities: UUIDv7 for rows born somewhere, UUIDv5 for rows with a natural key.

Two laptops marking the same person on the same day must make ONE attendance row, so
such rows take a name-based UUIDv5 under Sijill's namespace. Everything else takes a
time-ordered UUIDv7, which also keeps B-tree inserts local.
"""

from __future__ import annotations

import random
import uuid

from uuid6 import uuid7

# Fixed forever: changing it would change the identity of every natural-key row.
NAMESPACE = uuid.UUID("5b1c7f3e-2d94-4c0a-9a51-53494a494c4c")


def new_id() -> uuid.UUID:
    """A fresh UUIDv7."""
    return uuid.UUID(int=uuid7().int)


def seeded_id(rng: random.Random, *, unix_ms: int) -> uuid.UUID:
    """A UUIDv7 whose time is ``unix_ms`` and whose random bits come from ``rng``.

    The demo centre uses it so that one seed always yields the same records.
    """
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= rng.getrandbits(12) << 64
    value |= 0b10 << 62  # RFC 9562 variant
    value |= rng.getrandbits(62)
    return uuid.UUID(int=value)


def natural_id(kind: str, *parts: object) -> uuid.UUID:
    """The UUIDv5 of a row identified by ``parts``, e.g. ("attendance", session, person)."""
    return uuid.uuid5(NAMESPACE, "/".join([kind, *(str(p) for p in parts)]))
