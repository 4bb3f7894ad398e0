"""`tracker web`: the household page, its paired devices, and pairing a new one."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import App, pass_app
from tracker.cli.options import Whole

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


def _base(port: int, lan: bool, tls: bool) -> str:
    return f"{'https' if tls else 'http'}://{_lan_address() if lan else '127.0.0.1'}:{port}"


@click.group(invoke_without_command=True)
@click.option("--port", type=Whole("port", 1024, 65535, PORT), default=PORT,
              show_default=True, help="The port of the page.")
@click.option("--lan", is_flag=True,
              help="Reachable from the household's phones on the local network.")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Serve HTTPS with this certificate (and --tls-key).")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The certificate's private key.")
@click.pass_context
def web(ctx: click.Context, port: int, lan: bool, tls_cert: Path | None,
        tls_key: Path | None) -> None:
    """The household page: today's doses on every paired caregiver's phone.

    \b
    tracker web                          the page on http://127.0.0.1:8765
    tracker web --lan                    reachable from phones on the home network
    tracker web pair --name "Eli's phone"  a one-time link (and QR code) for a phone
    tracker web devices                  the paired devices and their last use
    tracker web revoke "Eli's phone"     end one at once

    Only paired devices see anything. Needs the web extra: pip install '.[web]' in
    tracker's folder.
    """
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.find_object(App)
    assert app is not None
    serve(app, port=port, lan=lan, tls_cert=tls_cert, tls_key=tls_key)


def serve(app: App, *, port: int, lan: bool, tls_cert: Path | None = None,
          tls_key: Path | None = None, in_thread: bool = False) -> None:
    """Run the page: in the foreground (`tracker web`), or in a thread of the reminder
    service (`remind run --with-web`), where the service owns the signals."""
    if (tls_cert is None) != (tls_key is None):
        from tracker.errors import InputError

        raise InputError("give both --tls-cert and --tls-key, or neither")
    try:
        import uvicorn

        from tracker.web.app import create_app, iter_hosts
    except ImportError:
        from tracker.errors import StorageError

        raise StorageError("the household page needs the web extra: run pip install "
                           "'.[web]' in tracker's folder") from None
    from tracker.db.session import transaction

    engine = app.engine()  # create or upgrade the log first, as every command does
    lan_address = _lan_address() if lan else None
    # plain transactions: the command line's hold signals until its answer is printed,
    # which in a server would hold them for good (Ctrl-C would never stop it)
    page = create_app(lambda write: transaction(engine, write=write), app.clock,
                      hosts=list(iter_hosts(lan_address)), secure=tls_cert is not None)
    base = _base(port, lan, tls_cert is not None)
    click.echo(f"The household page: {base}/" + ("" if in_thread else " (Ctrl-C to stop)"),
               err=in_thread)
    if lan and tls_cert is None:
        click.echo("  Without TLS, anyone on the home network can read what the page shows "
                   "as it travels; pair only your own devices.", err=in_thread)
    click.echo("  Pair a phone: tracker web pair --name \"Eli's phone\""
               + (" --lan" if lan else ""), err=in_thread)
    config = uvicorn.Config(page, host="0.0.0.0" if lan else "127.0.0.1", port=port,
                            log_level="warning",
                            timeout_graceful_shutdown=3,  # an idle phone's connection
                            ssl_certfile=str(tls_cert) if tls_cert else None,
                            ssl_keyfile=str(tls_key) if tls_key else None)
    server = uvicorn.Server(config)
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


def _announce(engine: object, now: object, base: str) -> None:
    """Say in the log where the page is (or that it stopped), for the reminder service."""
    from datetime import datetime

    from sqlalchemy import Engine

    from tracker.db.session import transaction
    from tracker.reminders.service import set_state

    assert isinstance(engine, Engine) and isinstance(now, datetime)
    with transaction(engine, write=True) as session:
        set_state(session, "web_url", base, now)


@web.command("pair")
@click.option("--name", required=True, help="What to call the device (Eli's phone).")
@click.option("--caregiver", help="Who uses it: written on what it logs (default: the name "
                                  "before 's, or your own).")
@click.option("--port", type=Whole("port", 1024, 65535, PORT), default=PORT,
              show_default=True, help="The port the page runs on.")
@click.option("--lan", is_flag=True, help="A link for the home network (tracker web --lan).")
@click.option("--tls", is_flag=True, help="The page runs with --tls-cert (https).")
@pass_app
def pair_cmd(app: App, name: str, caregiver: str | None, port: int, lan: bool,
             tls: bool) -> None:
    """Print a one-time link (and its QR code) that pairs a phone, valid for 10 minutes."""
    from tracker import config
    from tracker.services import devices

    who = caregiver or (name.split("'s ")[0] if "'s " in name else config.caregiver())
    with app.session(write=True) as session:
        code = devices.new_pairing(session, name=name, caregiver=who, now=app.now())
    link = f"{_base(port, lan, tls)}/pair/{code}"
    click.echo(link)
    click.echo(f"Open it on {name} within 10 minutes; it works once. Entries made there "
               f"will say {who}.")
    try:
        import segno

        segno.make(link, error="m").terminal(compact=True)
    except ImportError:
        pass  # the link alone works; the QR code needs the web extra


@web.command("devices")
@pass_app
def devices_cmd(app: App) -> None:
    """The paired devices, who uses each, and when each was last used."""
    from tracker.services import devices

    with app.session(write=False) as session:
        rows = [(d.name, d.caregiver, d.last_used_at) for d in devices.all_devices(session)]
    if not rows:
        click.echo("No device is paired: tracker web pair --name NAME")
    for name, who, last in rows:
        seen = f"{last.astimezone():%Y-%m-%d %H:%M}" if last else "never"
        click.echo(f"{name}  ({who})  last used {seen}")


@web.command("revoke")
@click.argument("name")
@pass_app
def revoke_cmd(app: App, name: str) -> None:
    """End a paired device at once: its next request gets the pairing page."""
    from tracker.services import devices

    with app.session(write=True) as session:
        gone = devices.revoke(session, name, app.now()).name
    click.echo(f"Revoked {gone}: it can no longer open the page.")
