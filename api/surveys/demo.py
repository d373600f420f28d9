"""The demo barrio's diagnóstico: a plausible survey along the programme's five dimensions.

Económica, medioambiental, social, institucional and física, in Spanish, Haitian Creole
and English, opened so `accion-local chat --join CODE` can answer it right away. Its
questions on the household's income and health are a sensitive group (express consent).
"""

from typing import Any

from sqlmodel import Session, select

from api.barrios.models import Barrio
from api.surveys.models import Survey
from api.surveys.store import create_survey, move
from conversations.surveys.ports import SurveyStatus


def _l(es: str, ht: str, en: str) -> dict[str, str]:
    return {"es": es, "ht": ht, "en": en}


# what 1 and 5 mean on the demo's scales of how things are
POOR_TO_GOOD = {"low": _l("muy mal", "trè mal", "very poor"), "high": _l("muy bien", "trè byen", "very good")}


YES_NO = [
    {"name": "si", "label": _l("Sí", "Wi", "Yes")},
    {"name": "no", "label": _l("No", "Non", "No")},
]

DIAGNOSTICO: dict[str, Any] = {
    "title": _l("Diagnóstico de nuestro barrio", "Dyagnostik katye nou an", "Our neighbourhood's diagnosis"),
    "default_language": "es",
    "questions": [
        {"name": "intro", "type": "note", "label": _l(
            "Estas preguntas ayudan a conocer los problemas, necesidades y recursos del barrio. "
            "Toma unos 5 minutos y tus respuestas son anónimas.",
            "Kesyon sa yo ede nou konnen pwoblèm, bezwen ak resous katye a. Sa pran anviwon "
            "5 minit epi repons ou yo anonim.",
            "These questions help us understand the neighbourhood's problems, needs and resources. "
            "It takes about 5 minutes and your answers are anonymous.")},
        {"name": "anos_barrio", "type": "integer", "required": True,
         "label": _l("¿Cuántos años llevas viviendo en el barrio?", "Konbyen ane ou genyen ap viv nan katye a?",
                     "How many years have you lived in the neighbourhood?"),
         "constraint": ". >= 0 and . <= 100",
         "constraint_message": _l("Escribe un número de años entre 0 y 100.",
                                  "Ekri yon kantite ane ant 0 ak 100.",
                                  "Write a number of years between 0 and 100.")},
        {"name": "problemas", "type": "select_multiple", "required": True,
         "label": _l("¿Cuáles son los principales problemas del barrio? Marca hasta 3.",
                     "Ki pi gwo pwoblèm katye a? Make jiska 3.",
                     "What are the neighbourhood's main problems? Choose up to 3."),
         "constraint": "count-selected(.) <= 3",
         "constraint_message": _l("Marca como máximo 3 problemas.", "Make 3 pwoblèm pou pi plis.",
                                  "Choose at most 3 problems."),
         "choices": [
             {"name": "trabajo", "label": _l("Falta de trabajo", "Mank travay", "Lack of jobs")},
             {"name": "basura", "label": _l("Basura y microbasurales", "Fatra ak ti pil fatra", "Rubbish and dumping")},
             {"name": "inseguridad", "label": _l("Inseguridad", "Ensekirite", "Insecurity")},
             {"name": "areas_verdes", "label": _l("Pocas áreas verdes", "Pa gen ase espas vèt", "Few green areas")},
             {"name": "iluminacion", "label": _l("Mala iluminación", "Move limyè nan lari", "Poor street lighting")},
             {"name": "organizacion", "label": _l("Poca organización vecinal", "Vwazen yo pa byen òganize",
                                                  "Little neighbourhood organisation")},
         ]},
        # sensitive under Ley 21.719 (socioeconomic situation, health): asked only with express consent
        {"name": "hogar", "type": "group", "sensitive": True,
         "label": _l("Ingresos y salud de tu hogar", "Revni ak sante moun lakay ou",
                     "Your household's income and health"),
         "questions": [
             {"name": "ingresos", "type": "select_one", "required": True,
              "label": _l("¿Los ingresos de tu hogar alcanzan para los gastos del mes?",
                          "Èske lajan lakay ou ase pou depans mwa a?",
                          "Does your household's income cover the month's expenses?"),
              "choices": [
                  {"name": "si", "label": _l("Sí", "Wi", "Yes")},
                  {"name": "a_veces", "label": _l("A veces", "Pafwa", "Sometimes")},
                  {"name": "no", "label": _l("No", "Non", "No")},
              ]},
             {"name": "salud", "type": "select_one", "required": True, "choices": YES_NO,
              "label": _l("¿Alguien de tu hogar tiene una enfermedad crónica o una discapacidad?",
                          "Èske yon moun lakay ou gen yon maladi kwonik oswa yon andikap?",
                          "Does anyone in your household have a chronic illness or a disability?")},
         ]},
        {"name": "emprendimiento", "type": "select_one", "required": True, "choices": YES_NO,
         "label": _l("¿Alguien de tu hogar tiene un emprendimiento o negocio?",
                     "Èske yon moun lakay ou gen yon ti biznis?",
                     "Does anyone in your household run a small business?")},
        {"name": "rubro", "type": "text", "relevant": "${emprendimiento} = 'si'",
         "label": _l("¿De qué es el emprendimiento?", "Ki kalite biznis li ye?", "What kind of business is it?")},
        {"name": "entorno", "type": "scale", "required": True,
         "label": _l("De 1 a 5, ¿cómo evalúas la limpieza y el cuidado del entorno?",
                     "Sou 1 a 5, kijan ou evalye pwòpte ak swen anviwònman an?",
                     "From 1 to 5, how do you rate the cleanliness and care of the surroundings?"),
         "anchors": POOR_TO_GOOD},
        {"name": "confianza", "type": "scale", "required": True,
         "label": _l("De 1 a 5, ¿cuánto confías en tus vecinas y vecinos?",
                     "Sou 1 a 5, konbyen ou fè vwazen ou yo konfyans?",
                     "From 1 to 5, how much do you trust your neighbours?"),
         "anchors": {"low": _l("nada", "pa ditou", "not at all"), "high": _l("mucho", "anpil", "a lot")}},
        {"name": "organizaciones", "type": "select_multiple",
         "label": _l("¿En qué organizaciones del barrio participas?", "Nan ki òganizasyon nan katye a ou patisipe?",
                     "Which neighbourhood organisations do you take part in?"),
         "constraint": "not(selected(., 'ninguna') and count-selected(.) > 1)",
         "constraint_message": _l("«Ninguna» no puede ir junto a otras opciones.",
                                  "«Okenn» pa ka ale ansanm ak lòt chwa.",
                                  "“None” cannot go with other options."),
         "choices": [
             {"name": "junta", "label": _l("Junta de vecinos", "Komite katye", "Neighbourhood council")},
             {"name": "deportivo", "label": _l("Club deportivo", "Klib espò", "Sports club")},
             {"name": "iglesia", "label": _l("Iglesia", "Legliz", "Church")},
             {"name": "mayores", "label": _l("Club de adulto mayor", "Klib granmoun", "Older adults' club")},
             {"name": "ninguna", "label": _l("Ninguna", "Okenn", "None")},
         ]},
        {"name": "espacios", "type": "scale", "required": True,
         "label": _l("De 1 a 5, ¿cómo están las plazas, veredas y sedes del barrio?",
                     "Sou 1 a 5, nan ki eta plas, twotwa ak lokal katye a ye?",
                     "From 1 to 5, what state are the squares, pavements and community halls in?"),
         "anchors": POOR_TO_GOOD},
        {"name": "participar", "type": "select_one", "required": True,
         "label": _l("¿Te gustaría participar en las asambleas del barrio?",
                     "Èske ou ta renmen patisipe nan asanble katye a?",
                     "Would you like to take part in the neighbourhood assemblies?"),
         "choices": [
             {"name": "si", "label": _l("Sí", "Wi", "Yes")},
             {"name": "tal_vez", "label": _l("Tal vez", "Petèt", "Maybe")},
             {"name": "no", "label": _l("No", "Non", "No")},
         ]},
        {"name": "idea", "type": "text",
         "label": _l("Si pudieras cambiar una cosa del barrio, ¿qué sería?",
                     "Si ou te ka chanje yon bagay nan katye a, kisa li ta ye?",
                     "If you could change one thing in the neighbourhood, what would it be?")},
    ],
}


def seed_diagnostico(session: Session, barrio: Barrio) -> None:
    """Create and open the demo diagnóstico once per barrio."""
    exists = session.exec(select(Survey).where(Survey.barrio_id == barrio.id, Survey.kind == "diagnostico")).first()
    if exists is None:
        survey = create_survey(session, barrio=barrio, kind="diagnostico", definition=DIAGNOSTICO)
        move(session, survey, SurveyStatus.OPEN)
