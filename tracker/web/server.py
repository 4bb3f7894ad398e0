"""Serving the page: uvicorn with limits a hostile network cannot wear down.

uvicorn has a keep-alive timeout between requests but none for the request itself: a
client that sends its headers a byte at a time holds a connection for ever. The protocol
here closes a connection whose request line and headers have not arrived within
HEADER_WAIT seconds (a form's body has its own limit, tracker.web.app.read_form).
Headers are capped in size, idle connections close after a few seconds, and past
CONNECTIONS at once the server answers 503 instead of taking more.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

HEADER_WAIT = 10.0  # seconds for a request's line and headers to arrive
HEADER_BYTES = 16 * 1024
IDLE = 5  # seconds an idle kept-alive connection stays open
CONNECTIONS = 64
STOP_WAIT = 3  # seconds a stop waits for requests in flight


def protocol() -> type:
    """uvicorn's h11 protocol with a deadline on each request's headers."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(HEADER_WAIT, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def handle_events(self) -> None:
            cycle = self.cycle
            super().handle_events()
            if self.cycle is not cycle:  # a whole request arrived
                self._disarm()

        def on_response_complete(self) -> None:
            self._arm()  # the next request on this connection has its own deadline
            super().on_response_complete()  # (a pipelined one starts here and disarms)

    return Protocol


def config(app: Any, *, host: str, port: int, tls_cert: Path | None,
           tls_key: Path | None) -> Any:
    import uvicorn

    return uvicorn.Config(
        app, host=host, port=port, log_level="warning",
        http=protocol(),
        timeout_keep_alive=IDLE,
        timeout_graceful_shutdown=STOP_WAIT,
        h11_max_incomplete_event_size=HEADER_BYTES,
        limit_concurrency=CONNECTIONS,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
    )
