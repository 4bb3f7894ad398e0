"""The household page's address: the computer, the port, and a private part of its own.

Browsers do not tell cookies apart by port. A device's cookie set by the page at
`http://127.0.0.1:8765/` would also be sent to `http://127.0.0.1:9999/`, where any other
program of any user of this computer may listen: a web page elsewhere need only send the
browser there to hand that program the phone's login. The same holds for `localhost`, for
a name every install shares (`tracker.localhost`), and for the computer's home-network
address with `--lan`.

Cookies are told apart by path, though. So the page lives under a path no one else can
know, derived from the page's own secret (`web-secret`, owner-only): 128 random bits,
e.g. `http://127.0.0.1:8765/k3v…q/`, and the device's cookie is scoped to that path. A
browser sent to another program's port is sent to a path of that program's choosing,
which cannot be the page's: the cookie stays home, on every host name and on the home
network alike. The cookie is HttpOnly, so no script of another origin could read it
either.

A per-install host name (`<random>.localhost`) would do the same on this computer, but
Safari does not resolve `*.localhost` names (WebKit bug 21898; Chromium and Firefox 84+
do, by themselves), and a phone on the home network cannot use one at all; a path works
in every browser and on every address.

The private part is stable while the secret is (bookmarks keep working); a secret found
readable by others is replaced, and the address with it, which is what should happen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

LENGTH = 16  # bytes of the private part: 128 bits


def private_part(secret: bytes) -> str:
    """The page's path segment: 26 lowercase letters and digits, from the secret."""
    digest = hmac.new(secret, b"tracker household page address", hashlib.sha256).digest()
    return base64.b32encode(digest[:LENGTH]).decode("ascii").rstrip("=").lower()


def root(secret: bytes) -> str:
    """The path every page of the household page lives under (no trailing slash)."""
    return f"/{private_part(secret)}"
