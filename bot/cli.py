"""The `accion-local` command: serve, demo, chat, migrate, staff add."""

import argparse
import gc
import getpass
import logging
import sys
from pathlib import Path

from sqlalchemy import Engine

from api.kernel.config import Settings, get_settings
from api.kernel.db import make_engine, session_scope
from api.kernel.errors import DomainError
from api.kernel.logs import configure_logging
from api.kernel.migrate import upgrade
from api.staff.organisations import first_staff
from bot.console import run
from bot.main import build_app, chat_service, demo
from conversations.kernel.i18n import CatalogError, check_catalogs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="accion-local", description="Acción Local chat service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API and, with a token, the Telegram bot")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="create the demo barrio first")
    demo_command = commands.add_parser("demo", help="create the demo ejecutor and barrio; print token and codes")
    demo_command.add_argument("--new-token", action="store_true",
                              help="replace the demo ejecutor's API token (the old one stops working)")
    chat = commands.add_parser("chat", help="talk to the conversations in this terminal")
    chat.add_argument("--join", metavar="CODE", help="a barrio join code, as in the t.me link")
    chat.add_argument("--as", dest="who", default="vecina-1", help="which console vecino you are")
    chat.add_argument("--downloads", type=Path, default=Path("descargas"),
                      help="where files the chat sends (a data download) are written")
    commands.add_parser("migrate", help="apply pending database migrations")
    staff = commands.add_parser("staff", help="staff users of the web console").add_subparsers(dest="action",
                                                                                               required=True)
    add = staff.add_parser("add", help="add a staff user; creates the organisation (ejecutor) if it is new")
    add.add_argument("--organisation", required=True, help="the ejecutor's name")
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    args = parser.parse_args(argv)

    try:
        settings = get_settings()
    except ValueError as error:
        sys.exit(f"configuration error: {error}")
    try:
        check_catalogs()  # never answer a Kreyòl speaker in Spanish because an install lost its catalogs
    except CatalogError as error:
        sys.exit(f"translations error: {error}. Reinstall the package, or set LOCALES_DIR to a folder "
                 "holding <locale>/LC_MESSAGES/messages.po or .mo for es, ht and en.")
    configure_logging(settings.log_format)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    if args.command == "demo" or (args.command == "serve" and args.demo):
        print(_demo(settings, engine, new_token=getattr(args, "new_token", False)))
    if args.command == "serve":
        _serve(settings, engine, args.host, args.port)
    elif args.command == "staff":
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Contraseña: ")
        try:
            with session_scope(engine) as session:
                print(first_staff(session, organisation=args.organisation, name=args.name, email=args.email,
                                  password=password))
        except DomainError as error:
            sys.exit(f"error: {error.detail}")
    elif args.command == "chat":
        logging.getLogger().setLevel(logging.WARNING)
        run(chat_service(settings, engine, lambda: settings.telegram_bot_username), join=args.join, who=args.who,
            downloads=args.downloads)


def _demo(settings: Settings, engine: Engine, *, new_token: bool = False) -> str:
    with session_scope(engine) as session:
        return demo(session, settings, new_token=new_token).describe(settings.telegram_bot_username)


KEEP_ALIVE_SECONDS = 75


def _serve(settings: Settings, engine: Engine, host: str, port: int) -> None:
    import uvicorn

    app = build_app(settings, engine)
    # Everything loaded so far (libraries, models, the app) lives as long as the process:
    # frozen, the garbage collector stops scanning it on every full collection. Measured
    # with bench/load.py: 1.45 -> 1.3 ms of CPU per update on SQLite. An update leaves a
    # few thousand short-lived objects, so the youngest generation is collected every 7,000
    # allocations instead of 700: 1.28 -> 1.16 ms, the same peak memory.
    gc.freeze()
    gc.set_threshold(7000, 10, 10)
    # Access logs belong to the reverse proxy in front; uvicorn's would cost ~10% per update.
    # uvicorn's own loggers go through ours (log_config=None), so LOG_FORMAT=json covers them.
    # On SIGTERM uvicorn stops accepting connections, waits for the requests in flight at most
    # `shutdown_seconds`, then runs the lifespan's shutdown (the bot, the outbox's leases).
    # Idle connections are kept longer than clients reuse them (nginx's upstream keepalive_timeout,
    # 60 s; httpx's pool, 5 s): with uvicorn's default, 5 s, a client reusing a connection as it
    # closes gets a reset (a 502 from the proxy, an httpx.ReadError), not an answer.
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, log_config=None,
                timeout_keep_alive=KEEP_ALIVE_SECONDS,
                server_header=False, timeout_graceful_shutdown=settings.shutdown_seconds)


if __name__ == "__main__":
    main()
