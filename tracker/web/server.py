"""Serving the page: uvicorn with limits a hostile network cannot wear down.

uvicorn has a keep-alive timeout between requests but none for the request itself: a
client that sends its headers a byte at a time holds a connection for ever. The protocol
here closes a connection whose request line and headers have not arrived within
HEADER_WAIT seconds (a form's body has its own limit, tracker.web.app.read_form), and one
that has sent nothing at all within FIRST_BYTE_WAIT. Headers are capped in size, idle
connections close after a few seconds, and past CONNECTIONS at once the server answers
503 instead of taking more.

A fair share: one address (any device on the home Wi-Fi with --lan) holds at most
PER_ADDRESS connections at once; one more is closed as it opens. Without it, 64 idle
connections from one device, renewed as they close, answered every phone with 503.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any  # for connection_made's transport only

if TYPE_CHECKING:
    from starlette.types import ASGIApp
    from uvicorn import Config
    from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_WAIT = 10.0  # seconds for a request's line and headers to arrive
FIRST_BYTE_WAIT = 3.0  # seconds for a new connection to send anything at all
PER_ADDRESS = 16  # connections at once from one address (a browser opens about 6)
HEADER_BYTES = 16 * 1024
IDLE = 5  # seconds an idle kept-alive connection stays open
CONNECTIONS = 64
STOP_WAIT = 3  # seconds a stop waits for requests in flight


def protocol() -> type[H11Protocol]:
    """uvicorn's h11 protocol with a deadline on each request's headers."""
    # uvicorn: the web extra, loaded only when the page is served
    from uvicorn.protocols.http.h11_impl import H11Protocol

    held: dict[str, int] = {}  # open connections by address, across this server

    class Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _silent: asyncio.TimerHandle | None = None
        _address: str | None = None

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

        # asyncio passes a BaseTransport, uvicorn's method takes a Transport (with its own
        # ignore[override]): no one type satisfies both without a cast
        def connection_made(self, transport: Any) -> None:  # why: just above
            peer = transport.get_extra_info("peername")
            address = str(peer[0]) if peer else "?"
            if held.get(address, 0) >= PER_ADDRESS:
                # its share is taken: closed before it counts among the server's
                # connections, whose number decides when every phone is told "busy"
                transport.close()
                return
            super().connection_made(transport)
            held[address] = held.get(address, 0) + 1
            self._address = address
            self._arm()
            self._silent = self.loop.call_later(FIRST_BYTE_WAIT, self._too_slow)

        def data_received(self, data: bytes) -> None:
            if self._silent is not None:
                self._silent.cancel()
                self._silent = None
            super().data_received(data)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._address is None:
                return  # refused as it opened: nothing of it was set up
            self._disarm()
            if self._silent is not None:
                self._silent.cancel()
                self._silent = None
            left = held.get(self._address, 1) - 1
            if left > 0:
                held[self._address] = left
            else:
                held.pop(self._address, None)
            self._address = None
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


def config(app: ASGIApp, *, host: str, port: int, tls_cert: Path | None,
           tls_key: Path | None) -> Config:
    # the web extra, loaded only when the page is served
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
