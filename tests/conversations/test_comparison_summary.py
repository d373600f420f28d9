"""The vecinos' summary of a comparison, in their language."""

from conversations.comparison.summary import Growth, grew, summary_reply
from conversations.kernel.i18n import Translator

TRUST = Growth("confianza_solidaridad", 39.4, 51.2, clear=True)
PLANNING = Growth("planificacion_gestion", 38.8, 69.7, clear=True)
SAFETY = Growth("cohesion_inclusion", 38.5, 41.0, clear=True)  # under 5 points
POWER = Growth("empoderamiento", 38.3, 49.7, clear=False)  # the paired interval crosses zero
INFO = Growth("informacion_comunicacion", 37.5, 53.3, clear=True)
NETWORKS = Growth("redes_instituciones", 38.0, 46.0, clear=True)
OVERALL = Growth("overall", 38.7, 53.6, clear=True)


def test_names_the_three_clearest_gains_largest_first() -> None:
    assert grew([TRUST, PLANNING, SAFETY, POWER, INFO, NETWORKS]) == [PLANNING, INFO, TRUST]


def test_the_message_in_spanish_creole_and_english() -> None:
    spanish = summary_reply(Translator("es"), [TRUST, SAFETY], OVERALL).text.splitlines()
    assert spanish == ["Resultados de la medición de cierre de tu barrio. ¡Gracias por responder!", "",
                       "Tu barrio creció en confianza entre vecinos: de 39 a 51 de 100.",
                       "En general: de 39 a 54 de 100."]
    creole = summary_reply(Translator("ht"), [PLANNING], None).text
    assert "Katye ou a grandi nan planifikasyon: soti 39 rive 70 sou 100." in creole
    english = summary_reply(Translator("en"), [SAFETY, POWER], OVERALL).text
    assert "Between the start and the close the answers changed little." in english
    assert "Overall: from 39 to 54 out of 100." in english
