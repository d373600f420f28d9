"""The demo barrio's diagnóstico: a plausible survey along the programme's five dimensions.

Económica, medioambiental, social, institucional and física, in Spanish, Haitian Creole
and English, opened so `accion-local chat --join CODE` can answer it right away. Its
questions on the household's income and health are a sensitive group (express consent).
"""

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from api.barrios.models import Barrio
from api.surveys.models import Survey
from api.surveys.store import create_survey, move
from conversations.surveys.ports import SurveyStatus

# The survey itself is data, in the JSON format the API accepts (POST /api/barrios/{id}/surveys).
DIAGNOSTICO: dict[str, Any] = json.loads((Path(__file__).parent / "diagnostico.json").read_text(encoding="utf-8"))


def seed_diagnostico(session: Session, barrio: Barrio) -> None:
    """Create and open the demo diagnóstico once per barrio."""
    exists = session.exec(select(Survey).where(Survey.barrio_id == barrio.id, Survey.kind == "diagnostico")).first()
    if exists is None:
        survey = create_survey(session, barrio=barrio, kind="diagnostico", definition=DIAGNOSTICO)
        move(session, survey, SurveyStatus.OPEN)
