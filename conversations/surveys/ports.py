"""What the survey conversation needs from storage; api/surveys/store.py implements it."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from conversations.kernel.context import Port
from conversations.surveys.form import Form


class SurveyStatus(StrEnum):
    """draft -> open (vecinos answer it in the chat) -> closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class SurveyView:
    id: int
    barrio_id: int
    status: str
    form: Form


class Surveys(Protocol):
    """Surveys of the vecino's barrio and the vecino's own answers, bound to the chat's session."""

    def open_for(self, barrio_id: int) -> list[SurveyView]: ...

    def get(self, survey_id: int) -> SurveyView | None: ...

    def published_for(self, barrio_id: int) -> list[SurveyView]:
        """Closed surveys of the barrio whose results summary staff published, the latest first."""
        ...

    def summary(self, survey_id: int) -> Mapping[str, str] | None:
        """The published results summary, one text per language; None if not published."""
        ...

    def answers(self, survey_id: int, member_id: str) -> Mapping[str, Any]:
        """Stored answers by question name; a skipped question or a seen note maps to None. Not to be changed
        in place: a store may hand out the same versions (answers.Answers) until it saves or forgets."""
        ...

    def completed(self, survey_id: int, member_id: str) -> bool: ...

    def consent(self, survey_id: int, member_id: str) -> bool | None:
        """The vecino's consent to the survey's sensitive questions: None until asked, False declined."""
        ...

    def set_consent(self, survey_id: int, member_id: str, consent: bool) -> None:
        """Remember the vecino's choice for this survey (starting the response if needed)."""
        ...

    def save(self, survey_id: int, member_id: str, question: str, value: Any) -> None:
        """Store (or replace) one answer at once, starting the response if needed."""
        ...

    def keep_photo(self, survey_id: int, member_id: str, question: str, reference: str | None) -> None:
        """The photo just stored as `question`'s answer (the channel's reference), whose bytes are to be copied;
        None when the vecino took it back (skipped the question): its copy goes."""
        ...

    def forget(self, survey_id: int, member_id: str, questions: list[str]) -> None:
        """Drop answers to questions that no longer apply (their `relevant` became false)."""
        ...

    def set_completed(self, survey_id: int, member_id: str, completed: bool) -> None: ...


SURVEYS: Port[Surveys] = Port("surveys")
