"""A barrio's timeline as a chart: one bar per phase along the calendar, and today marked.

Geometry only, in SVG user units, computed here so the template just draws it (no script:
it works without JS and prints). The span always includes today, so the mark is on the
chart also before the programme starts or after it ends.
"""

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from fastapi import Request
from sqlmodel import Session

from api.barrios.models import Barrio
from api.programme.models import PhasePublic, Programme
from api.programme.timeline import timeline
from conversations.kernel.i18n import Translator
from conversations.programme.phases import Span, add_months
from web.templating import translator

WIDTH, LEFT, RIGHT = 1000, 90, 985  # the bars run from LEFT to RIGHT; the phases' names left of them
TOP, ROW, BAR = 28, 34, 22


@dataclass(frozen=True)
class Bar:
    phase: str
    label: str
    x: float
    y: float
    width: float
    status: str  # what its dates say today (the stored status follows them within a minute, by the job)
    title: str  # its dates, as a tooltip and for screen readers


@dataclass(frozen=True)
class Tick:
    x: float
    label: str  # the month's name at each quarter, empty otherwise


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    today_x: float
    today: str


def short_name(t: Translator, phase: str) -> str:
    names = {"fase_1": t._("Fase I"), "fase_2": t._("Fase II"), "fase_3": t._("Fase III"), "fase_4": t._("Fase IV"),
             "fase_5": t._("Fase V")}
    return names.get(phase, phase)


def chart(t: Translator, phases: list[PhasePublic], today: date) -> Chart:
    first = min([p.starts_on for p in phases] + [today]).replace(day=1)
    last = max([p.ends_on for p in phases] + [today])
    days = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(LEFT + (RIGHT - LEFT) * (day - first).days / days, 1)

    bars = [Bar(phase=p.phase, label=short_name(t, p.phase), x=x(p.starts_on), y=TOP + n * ROW,
                width=max(x(p.ends_on) - x(p.starts_on), 1), status=Span(p.starts_on, p.ends_on).status(today),
                title=f"{p.name}: {t.day(p.starts_on)} – {t.day(p.ends_on)}")
            for n, p in enumerate(phases)]
    ticks, month = [], first
    while month <= last:
        label = format_date(month, "MMM yyyy", locale=t.babel_locale) if month.month % 3 == 1 else ""
        ticks.append(Tick(x(month), label))
        month = add_months(month, 1)
    return Chart(width=WIDTH, height=TOP + len(phases) * ROW + 8, bars=bars, ticks=ticks, today_x=x(today),
                 today=t.day(today))


def programme_chart(request: Request, session: Session, barrio: Barrio) -> Chart | None:
    """The barrio's chart in the console's language, or None before its programme has dates."""
    if session.get(Programme, barrio.id) is None:
        return None
    shown = timeline(session, barrio)
    return chart(translator(request, barrio.timezone), shown.phases, shown.today)
