"""A console channel: the same conversations as in Telegram, typed in a terminal.

Buttons are shown numbered; typing the number presses it. A file (the vecino's data
download) is written to the downloads folder and its path shown. Messages the outbox holds
for this console vecino (convocatorias, reminders, results) are shown when it starts and
after each line typed. Lets staff preview a whole programme without Telegram, and proves
the conversations do not depend on Telegram.
"""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import URL

from api.barrios.store import any_barrio
from api.chat.service import Address, ChatService
from api.outbox.inbox import take_pending
from conversations.kernel.events import Event
from conversations.kernel.replies import Button, Reply

CHANNEL = "console"
QUIT = {"/q", "/quit", "/exit"}


class ConsoleChat:
    def __init__(self, service: ChatService, who: str, write: Callable[[str], None] = print,
                 downloads: Path = Path("descargas")) -> None:
        self.service = service
        self.address = Address(CHANNEL, who, who)
        self.write = write
        self.downloads = downloads
        self.buttons: list[Button] = []

    def send(self, typed: str) -> list[Reply]:
        """Feed one typed line (a button number presses that button); show the replies."""
        typed = typed.strip()
        if typed.isdigit() and 1 <= int(typed) <= len(self.buttons):
            event = Event.button(self.buttons[int(typed) - 1].data)
        else:
            event = Event.parse(typed)
        replies = self.service.handle(self.address, event)
        self.buttons = []
        for reply in replies:
            self._show(reply)
        self.deliver()
        return replies

    def deliver(self) -> None:
        """Show what the outbox holds for this vecino (the console has no push)."""
        for reply in take_pending(self.service.engine, channel=CHANNEL, chat_id=self.address.chat_id):
            self._show(reply)

    def _show(self, reply: Reply) -> None:
        self.write("")
        self.write(reply.text)
        if reply.document is not None:
            folder = self.downloads / Path(self.address.user_id).name
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # personal data: the owner's eyes only
            path = folder / Path(reply.document.filename).name
            path.write_bytes(reply.document.content)
            path.chmod(0o600)
            self.write(f"[file: {path}]")
        if reply.buttons:
            self.buttons = [button for row in reply.buttons for button in row]
            number = 0
            for row in reply.buttons:
                cells = []
                for button in row:
                    number += 1
                    cells.append(f"[{number}] {button.label}")
                self.write("   ".join(cells))


def run(service: ChatService, *, join: str | None, who: str, read: Callable[[str], str] = input,
        write: Callable[[str], None] = print, downloads: Path = Path("descargas")) -> None:
    """Chat until end of input or /q; files go to `downloads`/<who>/."""
    chat = ConsoleChat(service, who, write, downloads)
    write("Acción Local — console chat. Type text, a button number, or /q to quit.")
    write(f"Database: {describe_database(service.engine.url)}")
    if not any_barrio(service.engine):
        write("This database has no barrio yet: run `accion-local demo` with it, or set DATABASE_URL to the database "
              "where you created your barrios (a relative SQLite path depends on the folder you run from).")
    chat.send(f"/start {join}" if join else "/start")
    while True:
        try:
            typed = read("> ")
        except EOFError:
            break
        if typed.strip() in QUIT:
            break
        if typed.strip():
            chat.send(typed)


def describe_database(url: URL) -> str:
    """Which database this console uses: an SQLite file by its absolute path (a relative one
    depends on the folder it is run from; DATABASE_URL fixes it), a server without its password."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return str(Path(url.database).resolve())
    return url.render_as_string(hide_password=True)
