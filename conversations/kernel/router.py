"""One entry point for every event: find the feature step that serves it.

Order of dispatch: commands, then buttons (by data prefix), then typed text for the
current step. Anything else, or anything a step cannot use, gets a short translated hint
and the menu: a vecino never meets silence.
"""

from conversations.barrios import onboarding
from conversations.kernel.context import Context
from conversations.kernel.events import Event, Kind
from conversations.kernel.feature import Handler
from conversations.kernel.i18n import Translator, negotiate
from conversations.kernel.menu import hint, stale
from conversations.kernel.registry import features
from conversations.kernel.replies import Reply
from conversations.kernel.state import Outcome, State


def in_group(event: Event) -> list[Reply]:
    """What a group chat gets: taking part is one to one (answers and votes are personal),
    so a command there is pointed to a private chat and anything else is left alone."""
    if event.kind is not Kind.COMMAND:
        return []
    t = Translator(negotiate(event.lang_hint))
    return [Reply(t._("Escríbeme por mensaje privado para participar en tu barrio."))]


def handle(state: State, event: Event, ctx: Context) -> Outcome:
    """Step the conversation of one person by one event."""
    if state.joined:
        ctx.member = ctx.directory.member(state.member_id or "")
        if ctx.member is None:  # deleted elsewhere (ejecutor, another device): start over
            state = State(locale=state.locale, forget=True)
    if event.kind is Kind.COMMAND:
        return _command(state, event, ctx)
    if event.kind is Kind.BUTTON:
        return _button(state, event, ctx)
    if not state.joined:
        if event.kind is Kind.TEXT:
            return onboarding.typed_code(state, event, ctx)
        return onboarding.ask_code(state, ctx)
    if event.kind is Kind.TEXT:
        step = _lookup("steps", state.step)
        if step is not None:
            return step(state, event, ctx)
        t = ctx.tr(state.locale)
        return hint(state, ctx, t._("No entendí ese mensaje. Usa los botones o escribe /ayuda."))
    return _other(state, event, ctx)


def _command(state: State, event: Event, ctx: Context) -> Outcome:
    handler = _lookup("commands", event.text)
    if handler is None:
        t = ctx.tr(state.locale)
        if not state.joined:
            return onboarding.ask_code(state, ctx)
        return hint(state, ctx, t._("No conozco el comando /{command}.", command=event.text[:32]))
    if not state.joined and not _public(event.text):
        return onboarding.ask_code(state, ctx)
    return handler(state, event, ctx)


def _button(state: State, event: Event, ctx: Context) -> Outcome:
    prefix = event.text.partition(":")[0]
    handler = _lookup("buttons", prefix)
    if handler is None or (not state.joined and not _public(prefix)):
        if not state.joined:
            return onboarding.ask_code(state, ctx)
        return stale(state, ctx)
    return handler(state, event, ctx)


def _other(state: State, event: Event, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    if event.text == "edited":
        text = t._("Vi que editaste un mensaje. Si querías cambiar una respuesta, envíala de nuevo.")
    else:
        text = t._("Solo puedo leer texto y botones; no fotos, audios ni stickers.")
    prompt = _lookup("prompts", state.step)
    if prompt is None:
        return hint(state, ctx, text)
    again = prompt(state, event, ctx)
    return Outcome(again.state, (Reply(text), *again.replies))


def _lookup(kind: str, key: str) -> Handler | None:
    for feature in features():
        table = getattr(feature, kind)
        if key in table:
            return table[key]  # type: ignore[no-any-return]
    return None


def _public(key: str) -> bool:
    return any(key in feature.public for feature in features())
