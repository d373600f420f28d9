"""A barrio's survey answers at retention: free text and photos go, everything else stays under pseudonyms.

A text answer is the one place a vecino wrote whatever they liked, and people write names,
addresses, phone numbers, their neighbours' troubles; a photo shows faces, houses, number plates.
Once the programme is over their purpose is served (staff read, coded and looked at them while it
ran), so at retention the text goes and the photo's stored copy is deleted; the answer row stays
with an empty value (no more Telegram reference either), so each question's "answered" count and
every other result still add up. Choices, numbers and dates are the diagnóstico's figures and stay.
"""

from sqlalchemy import delete, or_, select, update
from sqlmodel import Session

from api.surveys.models import Survey, SurveyAnswer, SurveyPhoto, SurveyResponse, new_revision
from api.surveys.store import view
from conversations.surveys.questions import QuestionType

BLANK = ""  # what a blanked answer holds: answered, but nothing left of what was written or sent
FREE = (QuestionType.TEXT, QuestionType.IMAGE)


def blank_free_answers(session: Session, barrio_id: int) -> int:
    """Delete the photos of the barrio's surveys and blank every free-text and photo answer (repeat instances
    too); how many answers were blanked."""
    surveys = select(Survey.id).where(Survey.barrio_id == barrio_id)  # type: ignore[arg-type]
    session.execute(delete(SurveyPhoto).where(SurveyPhoto.survey_id.in_(surveys)))  # type: ignore[attr-defined]
    blanked = 0
    for survey in session.execute(select(Survey).where(Survey.barrio_id == barrio_id)).scalars():  # type: ignore[arg-type]
        names = [q.name for q in view(survey).form.asked if q.type in FREE]
        if not names:
            continue
        key = SurveyAnswer.question
        of_survey = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)  # type: ignore[arg-type]
        done = session.execute(update(SurveyAnswer).where(
            SurveyAnswer.response_id.in_(of_survey),  # type: ignore[attr-defined]
            SurveyAnswer.value.is_not(None),  # type: ignore[union-attr]
            or_(key.in_(names), *(key.like(f"{name}#%") for name in names)),  # type: ignore[attr-defined]
        ).values(value=BLANK))
        # what the chat kept in memory of these answers is no longer theirs (api/surveys/kept_answers.py)
        session.execute(update(SurveyResponse).where(SurveyResponse.survey_id == survey.id)  # type: ignore[arg-type]
                        .values(revision=new_revision()))
        blanked += done.rowcount
    return blanked
