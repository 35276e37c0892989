"""Carrying bundles: the outbox folder, and the delegation's sync service over HTTP.

Every bundle is first written to the outbox (a folder in the data directory), so that
when no connection comes, the newest one is there to copy onto a USB stick. When the
service answers, the bundle goes up, the reply comes back and is imported, and the outbox
is emptied of what the reply acknowledged. A network error or a busy service is tried
again after a growing pause; a refusal (the service read the bundle and said no) is not.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.config import data_dir
from app.i18n import _
from app.services.errors import FieldError, InputRejected
from app.sync.bundle import BundleRejected

OUTBOX = "outbox"
TIMEOUT = 120.0
BUNDLE_TYPE = "application/vnd.sijill.bundle"


class Unreachable(InputRejected):
    """The service could not be reached after every attempt; the bundle stays in the outbox."""

    def __init__(self, message: str) -> None:
        super().__init__(FieldError("url", message))


@dataclass(frozen=True)
class Attempts:
    count: int = 5
    first_pause: float = 2.0
    sleep: Callable[[float], None] = time.sleep


def outbox() -> Path:
    folder = data_dir() / OUTBOX
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def post_bundle(url: str, bundle: Path, *, attempts: Attempts | None = None) -> bytes:
    """Post ``bundle`` to the service at ``url``; return the reply bundle's bytes."""
    attempts = attempts or Attempts()
    endpoint = url.rstrip("/") + "/v1/exchange"
    data = bundle.read_bytes()
    pause, last_error = attempts.first_pause, ""
    for attempt in range(attempts.count):
        request = urllib.request.Request(
            endpoint, data=data, method="POST", headers={"Content-Type": BUNDLE_TYPE}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code == 422:
                reason = json.loads(error.read() or b"{}").get("reason", "")
                raise BundleRejected(
                    _("The delegation refused the bundle: {reason}").format(reason=reason)
                ) from None
            if error.code < 500 and error.code != 429:
                raise Unreachable(
                    _("The delegation's service answered {code}.").format(code=error.code)
                ) from None
            last_error = str(error.code)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            last_error = str(getattr(error, "reason", error))
        if attempt < attempts.count - 1:
            attempts.sleep(pause)
            pause *= 2
    raise Unreachable(
        _(
            "The delegation's service could not be reached ({error}). The bundle is kept "
            "in {folder}: copy it to a USB stick, or try again later."
        ).format(error=last_error, folder=bundle.parent)
    )


def clear_outbox(*, keep: Path | None = None) -> None:
    """Remove the older bundles: each delta holds everything the ones before it held."""
    for old in outbox().glob("*.sjl"):
        if old != keep:
            old.unlink(missing_ok=True)
