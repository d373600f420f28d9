"""A closed survey's results summary for the barrio's vecinos: staff choose its questions, preview, publish.

Every figure is counted over the completed responses the headline names (a response left
halfway adds nothing), without the answers of vecinos who asked that theirs not be used.
Publishing names the previewed version (api/outbox/preview.py), queues the message to every
vecino of the barrio in their language and keeps the approved texts on the survey, where
vecinos find them later under /encuestas.
"""

from collections import Counter

from sqlalchemy import Engine
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.errors import Conflict, Invalid
from api.kernel.types import utcnow
from api.outbox import preview as previewed
from api.outbox.enqueue import RenderForAll
from api.surveys.models import Published, SummaryQuestion, Survey, SurveySummary
from api.surveys.rows import responses
from api.surveys.store import view
from conversations.surveys.form import Form
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.questions import CHOICE_TYPES, Question
from conversations.surveys.summary import Tally, summary_reply

KIND = "survey_results"
SUMMARISED = (*CHOICE_TYPES, "scale")  # questions a summary line can say something about
DEFAULT_LINES = 6  # questions chosen when staff choose none


def choosable(form: Form) -> list[Question]:
    return [q for q in form.asked if q.type in SUMMARISED]


def chosen(form: Form, names: list[str] | None) -> list[Question]:
    """The questions named (in the form's order), or the first DEFAULT_LINES; Invalid for another name."""
    offered = choosable(form)
    if not names:
        return offered[:DEFAULT_LINES]
    unknown = sorted(set(names) - {q.name for q in offered})
    if unknown:
        raise Invalid(f"not a choice or scale question of this survey: {', '.join(unknown)}")
    return [q for q in offered if q.name in names]


def tallies(engine: Engine, survey: Survey, questions: list[Question]) -> tuple[int, list[Tally]]:
    """Completed responses, and each question's answers among them."""
    assert survey.id is not None
    completed = 0
    answered: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {q.name: Counter() for q in questions}
    for row in responses(engine, survey.id, survey.salt):
        if row.completed_at is None:
            continue
        completed += 1
        for name, counter in counts.items():
            value = row.answers.get(name)
            if value is None or value == []:
                continue
            answered[name] += 1
            counter.update(str(v) for v in (value if isinstance(value, list) else [value]))
    return completed, [Tally(q.name, answered[q.name], counts[q.name]) for q in questions]


def _render(engine: Engine, survey: Survey, questions: list[Question]) -> RenderForAll:
    form = view(survey).form
    completed, found = tallies(engine, survey, questions)
    return lambda t: summary_reply(t, form, completed, found)


def summary_preview(engine: Engine, survey: Survey, barrio: Barrio, names: list[str] | None) -> SurveySummary:
    """What the vecinos would read with these questions, in each language, and its version."""
    assert survey.id is not None
    form = view(survey).form
    questions = chosen(form, names)
    shown = previewed.preview(_render(engine, survey, questions), barrio.timezone)
    return SurveySummary(
        survey_id=survey.id, questions=[q.name for q in questions],
        choosable=[SummaryQuestion(name=q.name, label=form.text(q.label, form.default_language), type=q.type)
                   for q in choosable(form)],
        **shown.model_dump())


def publish(session: Session, engine: Engine, survey: Survey, barrio: Barrio, names: list[str] | None,
            approved: str) -> Published:
    """Send the approved summary of a closed survey to the barrio's vecinos and keep it for the chat."""
    assert survey.id is not None
    if survey.status != SurveyStatus.CLOSED:
        raise Conflict(f"survey {survey.id} is {survey.status}; close it first")
    questions = chosen(view(survey).form, names)
    shown, queued = previewed.send_approved(session, barrio, kind=KIND, ref_id=survey.id,
                                            render=_render(engine, survey, questions), approved=approved)
    survey.summary, survey.published_at = shown.texts, utcnow()
    session.add(survey)
    session.commit()
    return Published(queued=queued)
