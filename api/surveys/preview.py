"""A survey as the chat will show it, for the API and the console: every step's messages and
buttons from the flow itself (conversations/surveys/preview.py), with the condition that
decides who reaches each question, read from the definition as it was written."""

from collections.abc import Iterator
from typing import Any

from api.barrios.models import Barrio
from api.kernel.errors import Invalid
from api.surveys.models import PreviewMessage, PreviewStep, Survey, SurveyPreview
from api.surveys.store import view
from conversations.kernel.i18n import SUPPORTED
from conversations.surveys.preview import preview


def survey_preview(survey: Survey, barrio: Barrio, language: str | None = None) -> SurveyPreview:
    """The chat's steps in `language` (the form's default if omitted, if the chat speaks it)."""
    form = view(survey).form
    locale = language or (form.default_language if form.default_language in SUPPORTED else SUPPORTED[0])
    if locale not in SUPPORTED:
        raise Invalid(f"lang: the chat speaks {', '.join(SUPPORTED)}")
    conditions = dict(_conditions(survey.definition.get("questions") or [], ()))
    steps = []
    for shown in preview(form, locale, survey_id=survey.id or 0, barrio_id=barrio.id or 0,
                         barrio_name=barrio.name, timezone=barrio.timezone):
        asked = None if shown.index is None else form.questions[shown.index]
        steps.append(PreviewStep(
            question=asked.name if asked else None,
            condition=conditions.get(asked.name) if asked else None,
            options_filtered=asked is not None and asked.choice_filter is not None,
            messages=[PreviewMessage(text=reply.text, buttons=[[b.label for b in row] for row in reply.buttons])
                      for reply in shown.replies],
        ))
    return SurveyPreview(survey_id=survey.id or 0, language=locale, languages=list(SUPPORTED), steps=steps)


def _conditions(items: list[dict[str, Any]], around: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(question, its `relevant` and those of the groups around it joined by "and") for conditional questions."""
    for item in items:
        own = (*around, f"({item['relevant']})") if item.get("relevant") else around
        if item.get("type") == "group":
            yield from _conditions(item.get("questions") or [], own)
        elif own:
            yield item["name"], " and ".join(own)
