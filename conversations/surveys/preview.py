"""A survey as the chat will show it, for its ejecutor to read before opening it.

The flow's own steps produce every message and button (conversations/surveys/flow.py), in
the language asked for: the welcome with the first question, then each question in order
(with the consent step before the first sensitive one), then the thanks and the review. It
runs against a rehearsal of the `Surveys` port that keeps nothing, for a vecino who has not
answered yet: a question's text is the one shown to someone who reaches it, and whether
they reach it depends on their answers (the console notes each question's condition).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.members import MemberView, Role
from conversations.kernel.replies import Reply
from conversations.kernel.state import State
from conversations.surveys.flow import BUTTONS, enter, finish, question
from conversations.surveys.form import Form
from conversations.surveys.ports import SURVEYS, SurveyStatus, SurveyView

REHEARSAL = "preview"  # the member id of the vecino the preview is shown to


@dataclass(frozen=True)
class Shown:
    """What the chat says at one point of the survey: `index` is the question asked, None at the end."""

    index: int | None
    replies: tuple[Reply, ...]


class Rehearsal:
    """The `Surveys` port over one survey, for a vecino with no answers; what the flow stores is kept
    only while the preview runs (the consent is the one thing the walk sets)."""

    def __init__(self, survey: SurveyView) -> None:
        self.survey = survey
        self.accepted: bool | None = None
        self.done = False

    def open_for(self, barrio_id: int) -> list[SurveyView]:
        return [self.survey] if barrio_id == self.survey.barrio_id else []

    def get(self, survey_id: int) -> SurveyView | None:
        return self.survey if survey_id == self.survey.id else None

    def answers(self, survey_id: int, member_id: str) -> dict[str, Any]:
        return {}

    def completed(self, survey_id: int, member_id: str) -> bool:
        return self.done

    def consent(self, survey_id: int, member_id: str) -> bool | None:
        return self.accepted

    def set_consent(self, survey_id: int, member_id: str, consent: bool) -> None:
        self.accepted = consent

    def save(self, survey_id: int, member_id: str, question: str, value: Any) -> None:
        """Nothing is kept: every question is shown as to someone who has not answered it."""

    def forget(self, survey_id: int, member_id: str, questions: list[str]) -> None:
        """Nothing was kept."""

    def set_completed(self, survey_id: int, member_id: str, completed: bool) -> None:
        self.done = completed


def preview(form: Form, locale: str, *, survey_id: int = 1, barrio_id: int = 1, barrio_name: str = "",
            timezone: str = "America/Santiago") -> list[Shown]:
    """Everything the chat says through the survey in `locale`, question by question."""
    survey = SurveyView(id=survey_id, barrio_id=barrio_id, status=SurveyStatus.OPEN, form=form)
    port = Rehearsal(survey)
    now = datetime.now(UTC)
    me = MemberView(id=REHEARSAL, barrio_id=barrio_id, barrio_name=barrio_name, timezone=timezone, locale=locale,
                    role=Role.VECINO, subscribed=True, share_name=False, display_name=None, joined_at=now)
    # the survey's steps read no directory and no menu: a preview runs no command
    ctx = Context(directory=None, now=now, bot_username="", chat=None, ports={SURVEYS: port},  # type: ignore[arg-type]
                  default_timezone=timezone, member=me)
    state = State(locale=locale, member_id=REHEARSAL)
    started = enter(state, Event.button(BUTTONS.data(enter, survey=survey_id)), ctx, survey=survey_id)
    first = started.state.data.get("q")  # the welcome comes with the first question that applies
    shown = []
    for index in (i for i, q in enumerate(form.questions) if q.asked):
        said: tuple[Reply, ...] = started.replies if index == first else ()
        if form.questions[index].sensitive and port.accepted is None:
            if index != first:  # (else the welcome came with the consent step)
                said = question(state, survey, index, ctx).replies
            port.accepted = True  # what follows is shown as to someone who accepted
            said += question(state, survey, index, ctx).replies
        elif index != first:
            said = question(state, survey, index, ctx).replies
        shown.append(Shown(index, said))
    shown.append(Shown(None, finish(state, survey, ctx).replies))
    return shown
