"""The floor: a minimal python-telegram-bot echo bot behind the same webhook harness.

One handler that replies with the text it got; no storage. `bench/load.py` measures it
with the same load generator as accion-local, so the ratio between the two shows what
our conversation layer and durable storage cost on top of the library.

    python -m bench.echo_bot --port 8090 --telegram-url http://127.0.0.1:8081
"""

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    if update.message and update.message.text:
        await update.message.reply_text(update.message.text)


def make_app(telegram_url: str) -> Starlette:
    application = (
        ApplicationBuilder().token("1:ECHO").base_url(f"{telegram_url}/bot").updater(None)
        .concurrent_updates(256).build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: Request) -> Response:
        await application.process_update(Update.de_json(await request.json(), application.bot))
        return Response()

    async def health(_request: Request) -> Response:
        return Response("ok")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with application:
            yield

    return Starlette(routes=[Route("/telegram/webhook", webhook, methods=["POST"]), Route("/health", health)],
                     lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--telegram-url", default="http://127.0.0.1:8081")
    args = parser.parse_args()
    uvicorn.run(make_app(args.telegram_url), host="127.0.0.1", port=args.port, log_level="warning",
                access_log=False)


if __name__ == "__main__":
    main()
