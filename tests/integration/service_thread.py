"""The delegation's sync service (`sijill serve`'s application on uvicorn) running in a
thread of the test, on a free local port, to be stopped mid-test like a server going down."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from app.services.keys import UnlockedKeys
from app.services.register import Register
from app.sync.server import ExchangeService, create_app

STARTUP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServiceThread:
    """``start()`` serves the delegation's register at ``url``; ``stop()`` shuts it down
    (the port then refuses connections)."""

    def __init__(self, register: Register, unlocked: UnlockedKeys) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(
            uvicorn.Config(
                create_app(ExchangeService(register, unlocked)),
                host="127.0.0.1",
                port=self.port,
                log_level="warning",
            )
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> ServiceThread:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self._server.started, "the sync service did not start"
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_SECONDS)
        assert not self._thread.is_alive(), "the sync service did not stop"
