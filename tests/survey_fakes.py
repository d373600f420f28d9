"""An in-memory `Surveys` port, for survey conversations as pure tables."""

from dataclasses import dataclass, field
from typing import Any

from conversations.surveys.form import Form
from conversations.surveys.ports import SurveyView


@dataclass
class MemorySurveys:
    surveys: dict[int, SurveyView] = field(default_factory=dict)
    stored: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    done: set[tuple[int, str]] = field(default_factory=set)

    def add(self, survey_id: int, barrio_id: int, definition: dict[str, Any], status: str = "open") -> None:
        self.surveys[survey_id] = SurveyView(survey_id, barrio_id, status, Form.load(definition))

    def open_for(self, barrio_id: int) -> list[SurveyView]:
        return [s for s in self.surveys.values() if s.barrio_id == barrio_id and s.status == "open"]

    def get(self, survey_id: int) -> SurveyView | None:
        return self.surveys.get(survey_id)

    def answers(self, survey_id: int, member_id: str) -> dict[str, Any]:
        return dict(self.stored.get((survey_id, member_id), {}))

    def completed(self, survey_id: int, member_id: str) -> bool:
        return (survey_id, member_id) in self.done

    def save(self, survey_id: int, member_id: str, question: str, value: Any) -> None:
        self.stored.setdefault((survey_id, member_id), {})[question] = value

    def forget(self, survey_id: int, member_id: str, questions: list[str]) -> None:
        for question in questions:
            self.stored.get((survey_id, member_id), {}).pop(question, None)

    def set_completed(self, survey_id: int, member_id: str, completed: bool) -> None:
        (self.done.add if completed else self.done.discard)((survey_id, member_id))
