"""Phone services that misbehave, for the tests and bench/hostile.py: one that accepts a
connection and never says a word (silent), and one that answers `200 OK` and then one
header line every 2 s for ever (a drip, which per-read timeouts never trip)."""

from __future__ import annotations

import socket
import threading


class Hostile:
    """A TCP server on 127.0.0.1 that either drips a response or stays silent."""

    def __init__(self, drip: bool) -> None:
        self.drip = drip
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.open: list[socket.socket] = []  # the connections it holds
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.open.append(conn)
            if self.drip:
                threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            n = 0
            while not self.stopped.wait(2):
                n += 1
                conn.sendall(f"X-Drip-{n}: still here\r\n".encode())
        except OSError:
            return

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.stopped.set()
        self.server.close()
        for conn in self.open:
            conn.close()
