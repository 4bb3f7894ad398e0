"""`tracker web`: the household page, its paired devices, and pairing a new one."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import Whole
from tracker.i18n import _

PORT = 8765


def _lan_address() -> str:
    """This computer's address on the home network (no packet is sent: a UDP socket
    is only pointed at an outside address to learn which interface would be used)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, nothing sent
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def _base(port: int, lan: bool, tls: bool, secret: bytes) -> str:
    """The page's address: the computer's home-network address with --lan, else this
    computer's own (127.0.0.1, which every browser reaches without a name to resolve), and
    always the page's private path (tracker.web.address), to which its cookie is scoped."""
    from tracker.web.address import root

    host = _lan_address() if lan else "127.0.0.1"
    return f"{'https' if tls else 'http'}://{host}:{port}{root(secret)}"


def _secret(app: App) -> bytes:
    """The page's own secret, beside the log (for a log on a server, in the data folder)."""
    from tracker.config import data_dir
    from tracker.web.forms import load_secret

    target = app.target()
    return load_secret(target.path.parent if target.path is not None else data_dir())


def pair_hint(port: int, lan: bool, tls: bool) -> str:
    """The pairing command for the page just started: its link must reach this page, so
    it names the page's port, network and scheme when they are not the defaults."""
    extra = (f" --port {port}" if port != PORT else "") + (" --lan" if lan else "") + (
        " --tls" if tls else "")
    who = _("Eli's phone") if lan else _("Anna's laptop")
    return f'tracker web pair --name "{who}"{extra}'


@click.group(
    invoke_without_command=True,
    help=_(
        "The household page: today's doses on every paired caregiver's phone.\n"
        "\n"
        "\b\n"
        "tracker web                     the page for this computer's browser\n"
        "tracker web --lan               the page for the phones on the home network\n"
        "tracker web pair --name \"Anna's laptop\"       a one-time link for this computer\n"
        "tracker web pair --name \"Eli's phone\" --lan   a one-time link (and QR code) for a "
        "phone\n"
        "tracker web devices             the paired devices and their last use\n"
        "tracker web revoke \"Eli's phone\"  end one at once\n"
        "\n"
        "The page prints its address when it starts: http://127.0.0.1:8765/ (or, with --lan,\n"
        "the computer's home-network address) followed by a private part of its own, such as\n"
        "http://127.0.0.1:8765/k3v...q/. Bookmark that address; it stays the same from one\n"
        "start to the next. Only paired devices see anything. Needs the web extra: pip install\n"
        "'.[web]' in tracker's folder."
    ),
)
@click.option("--port", type=Whole("port", 1024, 65535, PORT), default=PORT,
              show_default=True, help=_("The port of the page."))
@click.option("--lan", is_flag=True,
              help=_("Reachable from the household's phones on the local network."))
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=_("Serve HTTPS with this certificate (and --tls-key)."))
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=_("The certificate's private key."))
@click.pass_context
def web(ctx: click.Context, port: int, lan: bool, tls_cert: Path | None,
        tls_key: Path | None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.find_object(App)
    assert app is not None
    serve(app, port=port, lan=lan, tls_cert=tls_cert, tls_key=tls_key)


WEB_BUSY_MS = 3000  # a page waits this long for another writer, then says so


def serve(app: App, *, port: int, lan: bool, tls_cert: Path | None = None,
          tls_key: Path | None = None, in_thread: bool = False) -> None:
    """Run the page: in the foreground (`tracker web`), or in a thread of the reminder
    service (`remind run --with-web`), where the service owns the signals."""
    if (tls_cert is None) != (tls_key is None):
        from tracker.errors import InputError

        raise InputError(_("give both --tls-cert and --tls-key, or neither"))
    try:
        import uvicorn

        from tracker.web import server as web_server
        from tracker.web.app import create_app, iter_hosts
    except ImportError:
        from tracker.errors import StorageError

        raise StorageError(_("the household page needs the web extra: run pip install '.[web]' "
                             "in tracker's folder")) from None
    from tracker.db.session import make_engine

    app.engine()  # the log must be there (and upgraded), as for every command
    if not in_thread:
        import gc

        gc.enable()  # a long-running command: bring back the cycle collector (see main)
        gc.freeze()  # what start-up made lives for good: not scanned again
    target = app.target()
    secret = _secret(app)
    # Its own engine: a page waits 3 s for another writer (not a command's 15) and
    # then says the log is busy; plain transactions, because the command line's hold
    # on signals until its answer is printed would, in a server, hold them for good; a
    # file put in place of the log is followed (tracker.db.logfile)
    from tracker.db.migrate import check_replacement

    engine = make_engine(target.url, busy_ms=WEB_BUSY_MS,
                         said=lambda line: click.echo(
                             _("tracker web: {line}").format(line=line), err=True),
                         check=check_replacement)
    lan_address = _lan_address() if lan else None
    hint = pair_hint(port, lan, tls_cert is not None)
    page = create_app(engine, app.clock, hosts=list(iter_hosts(lan_address)), secret=secret,
                      secure=tls_cert is not None, log=target.path, pairing=hint)
    base = _base(port, lan, tls_cert is not None, secret)
    if in_thread:
        click.echo(_("The household page: {base}/").format(base=base), err=True)
    else:
        click.echo(_("The household page: {base}/ (Ctrl-C to stop)").format(base=base))
    if lan and tls_cert is None:
        click.echo(_("  Without TLS, anyone on the home network can read what the page shows as "
                     "it travels; pair only your own devices."), err=in_thread)
    if lan:
        click.echo(_("  Pair a phone: {hint}").format(hint=hint), err=in_thread)
    else:
        click.echo(_("  Open it in a browser on this computer; pair that browser: {hint}").format(
                       hint=hint),
                   err=in_thread)
        click.echo(_("  For the household's phones, start the page on the home network instead: "
                     "tracker web --lan"), err=in_thread)
    server = uvicorn.Server(web_server.config(
        page, host="0.0.0.0" if lan else "127.0.0.1", port=port, tls_cert=tls_cert,
        tls_key=tls_key))
    # reminders to the caregivers' phones link to it while it runs (a phone reaches it
    # only on the home network)
    _announce(engine, app.now(), base if lan else "")
    if in_thread:
        import threading

        threading.Thread(target=server.run, name="household-page", daemon=True).start()
        return
    try:
        server.run()
    finally:
        _announce(engine, app.now(), "")
        _leave(engine)


def _leave(engine: object) -> None:
    """The page has stopped. A thread may still wait on a log that does not answer (a
    paused server): Python would wait for it at exit, so a stop must not."""
    import os
    import sys
    import threading

    stuck = [t for t in threading.enumerate()
             if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if stuck:
        click.echo(_("tracker web: stopped"), err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _announce(engine: object, now: object, base: str) -> None:
    """Say in the log where the page is (or that it stopped), for the reminder service.

    Best effort, in a thread given a few seconds: a log that is busy or a server that
    does not answer must not keep the page from starting or stopping (the reminder
    service then links to nothing, or to a page that is gone, until the next start)."""
    import threading
    from datetime import datetime

    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError

    from tracker.db.session import transaction
    from tracker.db.state import set_state

    assert isinstance(engine, Engine) and isinstance(now, datetime)

    def write() -> None:
        try:
            with transaction(engine, write=True) as session:
                set_state(session, "web_url", base, now)
        except DBAPIError:
            pass

    thread = threading.Thread(target=write, name="announce", daemon=True)
    thread.start()
    thread.join(WEB_BUSY_MS / 1000 + 1)


@web.command(
    "pair",
    help=_(
        "Print a one-time link (and its QR code) that pairs a device, valid for 10 minutes.\n"
        "\n"
        "Without --lan the link opens in a browser on this computer; a phone needs the page on\n"
        "the home network (tracker web --lan) and a link made with --lan. Give the same --port\n"
        "(and --tls) as the page runs with."
    ),
)
@click.option("--name", required=True, help=_("What to call the device (Eli's phone)."))
@click.option("--caregiver", help=_("Who uses it: written on what it logs (default: the name "
                                    "before 's, or your own)."))
@click.option("--port", type=Whole("port", 1024, 65535, PORT), default=PORT,
              show_default=True, help=_("The port the page runs on."))
@click.option("--lan", is_flag=True, help=_("A link for the home network (tracker web --lan)."))
@click.option("--tls", is_flag=True, help=_("The page runs with --tls-cert (https)."))
@pass_app
def pair_cmd(app: App, name: str, caregiver: str | None, port: int, lan: bool,
             tls: bool) -> None:
    from tracker import config
    from tracker.services.record import devices

    who = caregiver or devices.caregiver_of(name, config.caregiver())
    secret = _secret(app)
    with app.session(write=True) as session:
        code = devices.new_pairing(session, name=name, caregiver=who, now=app.now())
    link = f"{_base(port, lan, tls, secret)}/pair/{code}"
    click.echo(link)
    click.echo(_("Open it on {name} within 10 minutes; it works once. Entries made there will "
                 "say {who}.").format(
                   name=name, who=who))
    if not lan:
        click.echo(_("This link opens in a browser on this computer only. For a phone, start the "
                     "page with tracker web --lan and make its link with --lan."))
        return
    try:
        import segno

        segno.make(link, error="m").terminal(compact=True)  # for the phone's camera
    except ImportError:
        pass  # the link alone works; the QR code needs the web extra


@web.command(
    "devices",
    help=_(
        "The paired devices, who uses each, and when each was last used."
    ),
)
@pass_app
def devices_cmd(app: App) -> None:
    from tracker.services.record import devices

    with app.session(write=False) as session:
        rows = [(d.name, d.caregiver, d.last_used_at) for d in devices.all_devices(session)]
    if not rows:
        click.echo(_("No device is paired: tracker web pair --name NAME"))
    for name, who, last in rows:
        seen = f"{last.astimezone():%Y-%m-%d %H:%M}" if last else "never"
        click.echo(_("{name}  ({who})  last used {seen}").format(name=name, who=who, seen=seen))


@web.command(
    "revoke",
    help=_(
        "End a paired device at once: its next request gets the pairing page."
    ),
)
@click.argument("name")
@pass_app
def revoke_cmd(app: App, name: str) -> None:
    from tracker.services.record import devices

    with app.session(write=True) as session:
        gone = devices.revoke(session, name, app.now()).name
    click.echo(_("Revoked {gone}: it can no longer open the page.").format(gone=gone))
