"""What every command shares: today's date (app.config.today), unlocking the keys, and
printing results (JSON for scripts, tab-separated lines for people)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from app.i18n import _
from app.services import keys
from app.services.keys import UnlockedKeys
from app.services.records import as_json
from app.services.unit_of_work import UnitOfWork


def _json_ready(item: Any) -> Any:
    return as_json(item) if hasattr(item, "__dataclass_fields__") else item


def print_json(data: Any) -> None:
    """Records (frozen dataclasses) or plain JSON data, or a list of either."""
    data = [_json_ready(item) for item in data] if isinstance(data, list) else _json_ready(data)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def print_rows(rows: Iterable[Iterable[object]]) -> None:
    """Tab-separated lines: readable in a terminal, easy to cut or paste into a sheet."""
    for row in rows:
        print("\t".join("" if v is None else str(v) for v in row))


def unlock_keys(uow: UnitOfWork) -> UnlockedKeys:
    """This register's keys for a command that signs: opened by the OS keyring, or by the
    passphrase in SIJILL_PASSPHRASE, or asked for at the terminal (twice when the keys are
    being made, so a typing slip does not lock them away)."""
    given = os.environ.get("SIJILL_PASSPHRASE")
    try:
        return keys.unlock(uow, passphrase=given)
    except keys.PassphraseNeeded:
        if given is not None or not sys.stdin.isatty():
            raise
    making = keys.own_identity(uow) is None
    typed = getpass.getpass(_("Passphrase of the register's keys: "))
    if making and getpass.getpass(_("The same passphrase again: ")) != typed:
        raise keys.PassphraseNeeded(_("The two passphrases differ.")) from None
    return keys.unlock(uow, passphrase=typed)
