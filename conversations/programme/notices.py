"""Messages about the programme sent to a barrio's vecinos (through the outbox), in each one's language.

Their buttons open "Nuestro barrio" or the iniciativa in the chat (flow.py).
"""

from datetime import date

from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Button, Reply, rows
from conversations.programme.flow import BUTTONS, follow, show_barrio, show_iniciativa
from conversations.programme.ports import IniciativaView
from conversations.programme.texts import phase_name, status_name


def phase_started(t: Translator, *, barrio: str, phase: str, ends_on: date) -> Reply:
    text = "\n\n".join([
        t._("{barrio} comienza una nueva etapa de Acción Local: {phase}.", barrio=barrio,
            phase=phase_name(t, phase)),
        t._("Está prevista hasta el {end}. Tu participación cuenta.", end=t.day(ends_on)),
    ])
    return Reply(text, rows(Button(t._("Nuestro barrio"), BUTTONS.data(show_barrio))))


def status_changed(t: Translator, iniciativa: IniciativaView, locale: str, old: str) -> Reply:
    text = t._("La iniciativa «{title}» pasó de «{old}» a «{new}».", title=iniciativa.title(locale),
               old=status_name(t, old), new=status_name(t, iniciativa.status))
    return Reply(text, rows(Button(t._("Ver la iniciativa"), BUTTONS.data(show_iniciativa, iniciativa=iniciativa.id))))


def hito_posted(t: Translator, iniciativa: IniciativaView, locale: str, on: date, text: str,
                photo_url: str | None = None) -> Reply:
    body = t._("Novedad en «{title}» ({date}): {text}", title=iniciativa.title(locale), date=t.day(on), text=text)
    if photo_url:
        body += "\n" + t._("Foto: {url}", url=photo_url)
    return Reply(body, rows(Button(t._("Ver la iniciativa"), BUTTONS.data(show_iniciativa, iniciativa=iniciativa.id)),
                            Button(t._("Dejar de seguirla"), BUTTONS.data(follow, iniciativa=iniciativa.id, on="no"))))


def hito_reviewed(t: Translator, iniciativa: IniciativaView, locale: str, text: str, approved: bool) -> Reply:
    """To the grupo motor member who reported a hito: staff approved it (it went to the followers) or left it out."""
    see = rows(Button(t._("Ver la iniciativa"), BUTTONS.data(show_iniciativa, iniciativa=iniciativa.id)))
    if approved:
        return Reply(t._("El equipo aprobó tu avance de «{title}» («{text}») y lo enviamos a quienes siguen la "
                         "iniciativa.", title=iniciativa.title(locale), text=text), see)
    return Reply(t._("El equipo no publicó tu avance de «{title}» («{text}»). Si quieres saber por qué, "
                     "conversa con el equipo ejecutor; puedes informar otro avance con /avance.",
                     title=iniciativa.title(locale), text=text), see)


def idea_decided(t: Translator, title: str, merged: bool, iniciativa_id: int | None) -> Reply:
    if not merged:
        return Reply(t._("Gracias por tu idea «{title}». Esta vez no quedó en el Plan de Desarrollo Local; "
                         "puedes conversarla con el grupo motor.", title=title))
    text = t._("¡Buenas noticias! Tu idea «{title}» quedó en el Plan de Desarrollo Local del barrio.", title=title)
    if iniciativa_id is None:
        return Reply(text)
    return Reply(text, rows(Button(t._("Ver la iniciativa"), BUTTONS.data(show_iniciativa, iniciativa=iniciativa_id))))
