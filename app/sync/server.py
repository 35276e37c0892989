"""The delegation's sync service: centres post a bundle, get the reply bundle back.

One endpoint does the exchange: ``POST /v1/exchange`` with a bundle addressed to the
delegation. The bundle authenticates its sender (signed by a key the delegation trusts,
not revoked); the service imports it exactly as ``sijill bundle import`` would, then
answers with a bundle for that sender (its receipt and whatever is new for it), encrypted
to the sender's key, so nobody else can read it. A refused bundle gets 422 and the
reason; nothing is changed. ``GET /v1/identity`` gives the delegation's identity file.

Imports and exports take the register's write lock one at a time: on SQLite one writer
is all there is; on PostgreSQL it keeps each exchange's acknowledgements consistent.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.services import keys
from app.services.keys import UnlockedKeys
from app.services.register import Register
from app.sync.bundle import BundleRejected, inspect_file
from app.sync.export import export_bundle
from app.sync.import_ import import_bundle

MAX_BUNDLE = 256 * 1024 * 1024
BUNDLE_TYPE = "application/vnd.sijill.bundle"


class ExchangeService:
    """The register and keys behind the endpoints."""

    def __init__(self, register: Register, unlocked: UnlockedKeys) -> None:
        self.register = register
        self.keys = unlocked
        self._lock = threading.Lock()

    def exchange(self, data: bytes) -> bytes:
        """Import ``data`` and return the reply bundle's bytes (BundleRejected: refused)."""
        with tempfile.TemporaryDirectory(prefix="sijill-exchange-") as folder:
            incoming, reply = Path(folder) / "incoming.sjl", Path(folder) / "reply.sjl"
            incoming.write_bytes(data)
            sender_key = inspect_file(incoming).sender_key_id
            with self._lock:
                with self.register.unit_of_work() as uow:
                    import_bundle(uow, keys=self.keys, path=incoming)
                with self.register.unit_of_work() as uow:
                    sender = keys.known_identity(uow, sender_key)
                    assert sender is not None  # the import above verified it
                    export_bundle(uow, keys=self.keys, recipient=sender.identity, path=reply)
            return reply.read_bytes()

    def identity(self) -> bytes:
        return keys.identity_file(self.keys)


def create_app(service: ExchangeService) -> Starlette:
    async def exchange(request: Request) -> Response:
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BUNDLE:
            return JSONResponse({"reason": "bundle too large"}, status_code=413)
        data = await request.body()
        if len(data) > MAX_BUNDLE:
            return JSONResponse({"reason": "bundle too large"}, status_code=413)
        try:
            reply = await run_in_threadpool(service.exchange, data)
        except BundleRejected as error:
            return JSONResponse({"reason": error.reason}, status_code=422)
        return Response(reply, media_type=BUNDLE_TYPE)

    async def identity(_request: Request) -> Response:
        return Response(service.identity(), media_type="application/json")

    async def health(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/v1/exchange", exchange, methods=["POST"]),
            Route("/v1/identity", identity, methods=["GET"]),
            Route("/v1/health", health, methods=["GET"]),
        ]
    )
