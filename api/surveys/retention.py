"""A barrio's survey answers at retention: free text is blanked, everything else stays under pseudonyms.

A text answer is the one place a vecino wrote whatever they liked, and people write names,
addresses, phone numbers, their neighbours' troubles. Once the programme is over its purpose is
served (staff read and coded those texts while it ran), so at retention the text goes; the row
stays with an empty value, so each text question's "answered" count and every other result
still add up. Choices, numbers and dates are the diagnóstico's figures and stay.
"""

from sqlalchemy import or_, select, update
from sqlmodel import Session

from api.surveys.models import Survey, SurveyAnswer, SurveyResponse
from api.surveys.store import view
from conversations.surveys.questions import QuestionType

BLANK = ""  # what a blanked text answer holds: answered, but nothing left of what was written


def blank_texts(session: Session, barrio_id: int) -> int:
    """Blank every free-text answer (repeat instances too) of the barrio's surveys; how many were blanked."""
    blanked = 0
    for survey in session.execute(select(Survey).where(Survey.barrio_id == barrio_id)).scalars():  # type: ignore[arg-type]
        names = [q.name for q in view(survey).form.asked if q.type == QuestionType.TEXT]
        if not names:
            continue
        key = SurveyAnswer.question
        of_survey = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)  # type: ignore[arg-type]
        done = session.execute(update(SurveyAnswer).where(
            SurveyAnswer.response_id.in_(of_survey),  # type: ignore[attr-defined]
            SurveyAnswer.value.is_not(None),  # type: ignore[union-attr]
            or_(key.in_(names), *(key.like(f"{name}#%") for name in names)),  # type: ignore[attr-defined]
        ).values(value=BLANK))
        blanked += done.rowcount
    return blanked
