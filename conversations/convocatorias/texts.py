"""How a convocatoria reads: the vecino's message, the reminder and the grupo motor's status.

The grupo motor may add the title and details in other languages (`versions`): each vecino
reads their own, else the text as written. One place for the wording, used by the preview,
the outbox (api/convocatorias/store.py) and the list of upcoming assemblies, so the
preview is exactly what vecinos get. The messages with their RSVP buttons are put
together in flow.py, which owns the buttons.
"""

from conversations.convocatorias.ports import Answer, ConvocatoriaStatus, ConvocatoriaView, Draft
from conversations.kernel.i18n import Translator


def answer_label(t: Translator, answer: str) -> str:
    labels: dict[str, str] = {Answer.YES: t._("Asistiré"), Answer.MAYBE: t._("Tal vez"), Answer.NO: t._("No podré")}
    return labels.get(answer, answer)


def own(c: Draft | ConvocatoriaView, part: str, locale: str) -> str:
    """The title or details in `locale` if the grupo motor wrote that version, else as written."""
    version = c.versions.get(locale) or {}
    return version.get(part) or str(getattr(c, part))


def body(t: Translator, c: Draft | ConvocatoriaView, barrio_name: str, answer: str | None = None) -> str:
    lines = [
        t._("📣 Convocatoria · {barrio}", barrio=barrio_name),
        "",
        own(c, "title", t.locale),
        t._("🗓 {when}", when=t.datetime(c.starts_at)),
        t._("📍 {place}", place=c.place),
    ]
    if c.details:
        lines += ["", own(c, "details", t.locale)]
    lines += ["", t._("¿Vas a asistir? Responde con los botones; puedes cambiar tu respuesta hasta la asamblea.")]
    if answer is not None:
        lines.append(t._("Tu respuesta: {answer}", answer=answer_label(t, answer)))
    return "\n".join(lines)


def reminder(t: Translator, c: ConvocatoriaView, answer: str) -> str:
    return "\n".join([
        t._("⏰ Recordatorio: {title}", title=own(c, "title", t.locale)),
        t._("🗓 {when}", when=t.datetime(c.starts_at)),
        t._("📍 {place}", place=c.place),
        t._("Tu respuesta: {answer}", answer=answer_label(t, answer)),
        t._("Si ya no puedes ir, cambia tu respuesta con los botones."),
    ])


def status_text(t: Translator, s: ConvocatoriaStatus) -> str:
    c, d, r = s.convocatoria, s.delivery, s.rsvps
    total = sum(d.values())
    lines = [
        f"{c.title} — {t.datetime(c.starts_at)}" + (" " + t._("(suspendida)") if c.cancelled else ""),
        t.ngettext("Entregada a {sent} de {n} vecino", "Entregada a {sent} de {n} vecinos", total,
                   sent=t.number(d.get("sent", 0))),
    ]
    waiting = d.get("pending", 0) + d.get("sending", 0)
    if waiting:
        lines.append(t._("• en camino: {n}", n=t.number(waiting)))
    if d.get("failed", 0):
        lines.append(t._("• no se pudo entregar: {n}", n=t.number(d["failed"])))
    if d.get("unreachable", 0):
        lines.append(t._("• bloquearon el chat: {n}", n=t.number(d["unreachable"])))
    lines.append(" · ".join(f"{answer_label(t, a)}: {t.number(r.get(a, 0))}" for a in Answer))
    for answer in Answer:
        names = s.names.get(answer) or ()
        if names:
            lines.append(t._("{answer}: {names}", answer=answer_label(t, answer), names=", ".join(names)))
    return "\n".join(lines)


def cancelled(t: Translator, c: ConvocatoriaView, barrio_name: str) -> str:
    """To those who got the convocatoria or answered it, when it is called off."""
    return "\n".join([
        t._("❌ Se suspendió: {title} · {barrio}", title=c.title, barrio=barrio_name),
        t._("Ya no se hará el {when} en {place}.", when=t.datetime(c.starts_at), place=c.place),
        t._("Si se vuelve a convocar, te avisaremos."),
    ])


def moved(t: Translator, c: ConvocatoriaView, barrio_name: str, answer: str | None) -> str:
    """To those who got the convocatoria or answered it, when it has a new date (answers are kept)."""
    lines = [
        t._("🔁 Cambio de fecha: {title} · {barrio}", title=c.title, barrio=barrio_name),
        t._("🗓 Nueva fecha: {when}", when=t.datetime(c.starts_at)),
        t._("📍 {place}", place=c.place),
    ]
    if answer is not None:
        lines += [t._("Tu respuesta: {answer}", answer=answer_label(t, answer)),
                  t._("Si con la nueva fecha no puedes ir, cambia tu respuesta con los botones.")]
    return "\n".join(lines)


def announcement(t: Translator, text: str, barrio_name: str) -> str:
    """A short message from the barrio's team (staff), as written for the vecino's language."""
    return "\n".join([t._("📢 Aviso · {barrio}", barrio=barrio_name), "", text])
