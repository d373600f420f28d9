"""The activities of each phase, as the programme text lists them, and which the product can tick itself.

`evidence` names what the product holds that proves the activity was done: a diagnóstico
survey closed (its results go to the vecinos when it closes), an assembly held after it, a
ballot closed, a línea de salida survey closed. api/programme/evidence.py looks for it.
"""

from dataclasses import dataclass
from enum import StrEnum

from conversations.programme.phases import Phase


class Evidence(StrEnum):
    DIAGNOSTICO_CLOSED = "diagnostico_closed"
    ASSEMBLY_HELD = "assembly_held"
    BALLOT_CLOSED = "ballot_closed"
    LINEA_SALIDA_CLOSED = "linea_salida_closed"


@dataclass(frozen=True)
class Activity:
    key: str
    phase: Phase
    name: str  # Spanish, as in the programme text; staff read it in the API and exports
    evidence: Evidence | None = None


ACTIVITIES: tuple[Activity, ...] = (
    Activity("insercion_territorial", Phase.FASE_1, "Inserción territorial"),
    Activity("instancias_multiactorales", Phase.FASE_1, "Constitución de instancias multi-actorales de participación"),
    Activity("diagnostico_territorial", Phase.FASE_1, "Diagnóstico territorial", Evidence.DIAGNOSTICO_CLOSED),
    Activity("iniciativa_urgencia", Phase.FASE_1, "Levantamiento de la iniciativa de urgencia"),
    Activity("difusion_validacion", Phase.FASE_1, "Difusión y validación del diagnóstico territorial",
             Evidence.ASSEMBLY_HELD),
    Activity("elaboracion_pdl", Phase.FASE_2, "Elaboración y organización del PDL"),
    Activity("determinacion_iniciativas", Phase.FASE_2, "Determinación de iniciativas locales y plan de acción",
             Evidence.BALLOT_CLOSED),
    Activity("formalizacion_proyectos", Phase.FASE_2, "Formalización, validación y diseño de proyectos del PDL"),
    Activity("decisiones_comunitarias", Phase.FASE_3, "Toma de decisiones comunitarias y multi-actoral"),
    Activity("ejecucion_monitoreo", Phase.FASE_3, "Ejecución y monitoreo de proyectos"),
    Activity("plan_continuidad", Phase.FASE_3, "Plan de continuidad y sostenibilidad del PDL"),
    Activity("actividades_cierre", Phase.FASE_4, "Actividades de cierre"),
    Activity("linea_salida", Phase.FASE_4, "Ingreso línea de salida", Evidence.LINEA_SALIDA_CLOSED),
    Activity("cierre_administrativo", Phase.FASE_4, "Cierre administrativo"),
    Activity("sesiones_seguimiento", Phase.FASE_5, "Sesiones de trabajo y seguimiento"),
    Activity("mesas_intersectoriales", Phase.FASE_5,
             "Reuniones y mesas de trabajo intersectoriales con actores públicos y privados"),
    Activity("estrategias_articulacion", Phase.FASE_5, "Definición de estrategias de articulación intersectorial"),
)
BY_KEY = {a.key: a for a in ACTIVITIES}
