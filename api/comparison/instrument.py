"""The built-in línea base / línea de salida instrument: 27 short items over nine dimensions.

The six dimensions of the World Bank's Integrated Questionnaire for the Measurement of
Social Capital (SC-IQ) and the three capacidades sociocomunitarias the programme sets out
to raise. Every item is a 1–5 scale (5 always the stronger capacity) or a yes/no (yes the
stronger one), so each maps onto 0–100 without reversing. Written here, in Python, so one
source gives the JSON definition (with each question's `dimension`), the downloadable
XLSForm (with a `dimension` column) and the dimension of a question by its name, which the
comparison falls back on when a stored definition does not carry it.
"""

from dataclasses import dataclass
from typing import Any


def _l(es: str, ht: str, en: str) -> dict[str, str]:
    return {"es": es, "ht": ht, "en": en}


@dataclass(frozen=True)
class Dimension:
    code: str
    label: dict[str, str]  # for staff: tables, charts, the XLSForm's notes
    intro: dict[str, str]  # the note a vecino reads before its items


@dataclass(frozen=True)
class Item:
    name: str
    dimension: str
    type: str  # "scale" (1 to 5) or "yes_no"
    label: dict[str, str]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("grupos_redes", _l("Grupos y redes", "Gwoup ak rezo", "Groups and networks"),
              _l("Primero, sobre los grupos del barrio.", "Premyèman, sou gwoup nan katye a.",
                 "First, about the neighbourhood's groups.")),
    Dimension("confianza_solidaridad", _l("Confianza y solidaridad", "Konfyans ak solidarite", "Trust and solidarity"),
              _l("Ahora, sobre la confianza entre vecinos.", "Kounye a, sou konfyans ant vwazen.",
                 "Now, about trust between neighbours.")),
    Dimension("accion_colectiva", _l("Acción colectiva y cooperación", "Aksyon kolektif ak koperasyon",
                                     "Collective action and cooperation"),
              _l("Sobre hacer cosas juntos.", "Sou fè bagay ansanm.", "About doing things together.")),
    Dimension("informacion_comunicacion", _l("Información y comunicación", "Enfòmasyon ak kominikasyon",
                                             "Information and communication"),
              _l("Sobre cómo te enteras de las cosas.", "Sou kijan ou konn nouvèl yo.",
                 "About how you hear about things.")),
    Dimension("cohesion_inclusion", _l("Cohesión social e inclusión", "Kohezyon sosyal ak enklizyon",
                                       "Social cohesion and inclusion"),
              _l("Sobre la convivencia en el barrio.", "Sou jan moun viv ansanm nan katye a.",
                 "About living together in the neighbourhood.")),
    Dimension("empoderamiento", _l("Empoderamiento y acción política", "Pouvwa ak aksyon politik",
                                   "Empowerment and political action"),
              _l("Sobre la voz del barrio.", "Sou vwa katye a.", "About the neighbourhood's voice.")),
    Dimension("planificacion_gestion", _l("Planificación y gestión", "Planifikasyon ak jesyon",
                                          "Planning and management"),
              _l("Sobre los planes del barrio.", "Sou plan katye a.", "About the neighbourhood's plans.")),
    Dimension("movilizacion_recursos", _l("Movilización de recursos", "Mobilize resous", "Mobilising resources"),
              _l("Sobre conseguir recursos.", "Sou jwenn resous.", "About getting resources.")),
    Dimension("redes_instituciones", _l("Trabajo en red con instituciones", "Travay an rezo ak enstitisyon",
                                        "Working in networks with institutions"),
              _l("Por último, sobre las instituciones.", "Finalman, sou enstitisyon yo.",
                 "Last, about institutions.")),
)

ITEMS: tuple[Item, ...] = (
    Item("gr_participa", "grupos_redes", "yes_no", _l(
        "¿Participas en algún grupo del barrio (junta de vecinos, club, iglesia, comité)?",
        "Èske ou patisipe nan yon gwoup nan katye a (komite, klib, legliz)?",
        "Do you take part in a neighbourhood group (council, club, church, committee)?")),
    Item("gr_contar", "grupos_redes", "scale", _l(
        "Si tuvieras un problema, ¿cuánto podrías contar con un grupo del barrio? De 1 (nada) a 5 (mucho).",
        "Si ou te gen yon pwoblèm, konbyen ou ta ka konte sou yon gwoup nan katye a? 1 (pa ditou) a 5 (anpil).",
        "If you had a problem, how much could you count on a neighbourhood group? 1 (not at all) to 5 (a lot).")),
    Item("gr_conoce", "grupos_redes", "scale", _l(
        "¿A cuántos vecinos conoces por su nombre? De 1 (a nadie) a 5 (a muchos).",
        "Konbyen vwazen ou konnen non yo? 1 (pèsonn) a 5 (anpil).",
        "How many neighbours do you know by name? 1 (none) to 5 (many).")),
    Item("cs_confianza", "confianza_solidaridad", "scale", _l(
        "¿Cuánto confías en la mayoría de tus vecinos? De 1 (nada) a 5 (mucho).",
        "Konbyen ou fè pifò vwazen ou konfyans? 1 (pa ditou) a 5 (anpil).",
        "How much do you trust most of your neighbours? 1 (not at all) to 5 (a lot).")),
    Item("cs_ayuda_urgente", "confianza_solidaridad", "yes_no", _l(
        "Si tuvieras una urgencia (dinero, cuidar a los niños), ¿hay un vecino que te ayudaría?",
        "Si ou te gen yon ijans (lajan, okipe timoun), èske gen yon vwazen ki ta ede ou?",
        "If you had an emergency (money, looking after children), is there a neighbour who would help?")),
    Item("cs_se_ayudan", "confianza_solidaridad", "scale", _l(
        "¿Los vecinos se ayudan cuando alguien tiene un problema? De 1 (nunca) a 5 (siempre).",
        "Èske vwazen yo ede youn lòt lè yon moun gen pwoblèm? 1 (janm) a 5 (toujou).",
        "Do neighbours help each other when someone has a problem? 1 (never) to 5 (always).")),
    Item("ac_trabajo_comun", "accion_colectiva", "yes_no", _l(
        "En el último año, ¿trabajaste con otros vecinos en algo para el barrio?",
        "Nan dènye ane a, èske ou te travay ak lòt vwazen pou katye a?",
        "In the last year, did you work with other neighbours on something for the neighbourhood?")),
    Item("ac_juntarse", "accion_colectiva", "scale", _l(
        "Si hay un problema de basura o de agua, ¿qué tan probable es que los vecinos se junten a resolverlo? "
        "De 1 (nada) a 5 (muy probable).",
        "Si gen yon pwoblèm fatra oswa dlo, èske vwazen yo ta mete tèt ansanm pou rezoud li? "
        "1 (pa ditou) a 5 (sèten).",
        "If there is a rubbish or water problem, how likely are neighbours to get together to solve it? "
        "1 (not at all) to 5 (very likely).")),
    Item("ac_asamblea", "accion_colectiva", "yes_no", _l(
        "En el último año, ¿fuiste a una asamblea o reunión del barrio?",
        "Nan dènye ane a, èske ou te al nan yon asanble oswa reyinyon katye a?",
        "In the last year, did you go to a neighbourhood assembly or meeting?")),
    Item("ic_informado", "informacion_comunicacion", "scale", _l(
        "¿Qué tan informado estás de lo que pasa en el barrio? De 1 (nada) a 5 (muy bien).",
        "Èske ou konnen sa k ap pase nan katye a? 1 (pa ditou) a 5 (trè byen).",
        "How well informed are you about what happens in the neighbourhood? 1 (not at all) to 5 (very well).")),
    Item("ic_canal", "informacion_comunicacion", "yes_no", _l(
        "¿Hay un grupo de chat, diario mural o radio donde se avisan las cosas del barrio?",
        "Èske gen yon gwoup chat, yon tablo oswa yon radyo kote yo bay nouvèl katye a?",
        "Is there a chat group, notice board or radio where neighbourhood news is shared?")),
    Item("ic_programas", "informacion_comunicacion", "scale", _l(
        "¿Sabes cómo enterarte de los programas del municipio? De 1 (nada) a 5 (mucho).",
        "Èske ou konn kijan pou w konnen pwogram meri a? 1 (pa ditou) a 5 (anpil).",
        "Do you know how to find out about the municipality's programmes? 1 (not at all) to 5 (a lot).")),
    Item("ci_pertenencia", "cohesion_inclusion", "scale", _l(
        "¿Te sientes parte del barrio? De 1 (nada) a 5 (mucho).",
        "Èske ou santi ou fè pati katye a? 1 (pa ditou) a 5 (anpil).",
        "Do you feel part of the neighbourhood? 1 (not at all) to 5 (a lot).")),
    Item("ci_bienvenida", "cohesion_inclusion", "scale", _l(
        "¿Las personas que llegan de otros países son bienvenidas en el barrio? De 1 (nada) a 5 (mucho).",
        "Èske moun ki soti lòt peyi byen resevwa nan katye a? 1 (pa ditou) a 5 (anpil).",
        "Are people who come from other countries welcome in the neighbourhood? 1 (not at all) to 5 (a lot).")),
    Item("ci_seguridad", "cohesion_inclusion", "scale", _l(
        "¿Qué tan seguro te sientes caminando de noche por el barrio? De 1 (nada) a 5 (muy seguro).",
        "Èske ou santi ou an sekirite lè w ap mache nan katye a lannwit? 1 (pa ditou) a 5 (anpil).",
        "How safe do you feel walking in the neighbourhood at night? 1 (not at all) to 5 (very safe).")),
    Item("ep_influir", "empoderamiento", "scale", _l(
        "¿Sientes que puedes influir en las decisiones que afectan al barrio? De 1 (nada) a 5 (mucho).",
        "Èske ou santi ou ka enfliyanse desizyon ki touche katye a? 1 (pa ditou) a 5 (anpil).",
        "Do you feel you can influence decisions that affect the neighbourhood? 1 (not at all) to 5 (a lot).")),
    Item("ep_autoridad", "empoderamiento", "yes_no", _l(
        "En el último año, ¿vecinos del barrio se reunieron con una autoridad para pedir algo para el barrio?",
        "Nan dènye ane a, èske vwazen yo te rankontre yon otorite pou mande yon bagay pou katye a?",
        "In the last year, did neighbours meet an authority to ask for something for the neighbourhood?")),
    Item("ep_voto_junta", "empoderamiento", "yes_no", _l(
        "¿Votaste en la última elección de la junta de vecinos?",
        "Èske ou te vote nan dènye eleksyon komite katye a?",
        "Did you vote in the last neighbourhood council election?")),
    Item("pg_plan", "planificacion_gestion", "yes_no", _l(
        "¿El barrio tiene un plan con metas acordadas entre vecinos?",
        "Èske katye a gen yon plan ak objektif vwazen yo dakò sou yo?",
        "Does the neighbourhood have a plan with goals the neighbours agreed on?")),
    Item("pg_prioridades", "planificacion_gestion", "scale", _l(
        "¿Los vecinos saben cuáles son las prioridades del barrio? De 1 (nada) a 5 (mucho).",
        "Èske vwazen yo konnen ki priyorite katye a? 1 (pa ditou) a 5 (anpil).",
        "Do neighbours know what the neighbourhood's priorities are? 1 (not at all) to 5 (a lot).")),
    Item("pg_seguimiento", "planificacion_gestion", "scale", _l(
        "¿Los vecinos revisan si se cumple lo acordado? De 1 (nunca) a 5 (siempre).",
        "Èske vwazen yo verifye si sa yo te dakò a fèt? 1 (janm) a 5 (toujou).",
        "Do neighbours check whether what was agreed gets done? 1 (never) to 5 (always).")),
    Item("mr_aporte", "movilizacion_recursos", "yes_no", _l(
        "En el último año, ¿aportaste dinero, materiales o tiempo a una actividad del barrio?",
        "Nan dènye ane a, èske ou te bay lajan, materyèl oswa tan pou yon aktivite katye a?",
        "In the last year, did you give money, materials or time to a neighbourhood activity?")),
    Item("mr_conseguir", "movilizacion_recursos", "scale", _l(
        "¿El barrio es capaz de conseguir recursos (fondos, materiales, apoyo)? De 1 (nada) a 5 (mucho).",
        "Èske katye a kapab jwenn resous (lajan, materyèl, sipò)? 1 (pa ditou) a 5 (anpil).",
        "Can the neighbourhood get resources (funds, materials, support)? 1 (not at all) to 5 (a lot).")),
    Item("mr_postulacion", "movilizacion_recursos", "yes_no", _l(
        "¿Sabes de algún proyecto que vecinos del barrio hayan presentado a un fondo?",
        "Èske ou konnen yon pwojè vwazen katye a te prezante pou jwenn finansman?",
        "Do you know of a project neighbours have submitted to a fund?")),
    Item("ri_conoce", "redes_instituciones", "scale", _l(
        "¿Conoces instituciones que pueden apoyar al barrio (municipio, consultorio, escuela, empresas)? "
        "De 1 (nada) a 5 (mucho).",
        "Èske ou konnen enstitisyon ki ka ede katye a (meri, sant sante, lekòl, antrepriz)? "
        "1 (pa ditou) a 5 (anpil).",
        "Do you know institutions that can support the neighbourhood (municipality, clinic, school, firms)? "
        "1 (not at all) to 5 (a lot).")),
    Item("ri_trabajo_conjunto", "redes_instituciones", "yes_no", _l(
        "¿Algún grupo del barrio trabaja junto a una institución pública o privada?",
        "Èske yon gwoup nan katye a travay ansanm ak yon enstitisyon leta oswa prive?",
        "Does a neighbourhood group work together with a public or private institution?")),
    Item("ri_responden", "redes_instituciones", "scale", _l(
        "Cuando el barrio pide algo, ¿las instituciones responden? De 1 (nunca) a 5 (siempre).",
        "Lè katye a mande yon bagay, èske enstitisyon yo reponn? 1 (janm) a 5 (toujou).",
        "When the neighbourhood asks for something, do institutions respond? 1 (never) to 5 (always).")),
)

DIMENSION_OF: dict[str, str] = {item.name: item.dimension for item in ITEMS}
DIMENSION_LABELS: dict[str, dict[str, str]] = {d.code: d.label for d in DIMENSIONS}
YES_NO = [{"name": "si", "label": _l("Sí", "Wi", "Yes")}, {"name": "no", "label": _l("No", "Non", "No")}]
TITLE = _l("Capacidades de nuestro barrio", "Kapasite katye nou an", "Our neighbourhood's capacities")
WELCOME = _l(
    "Son 27 preguntas cortas sobre cómo se organiza el barrio. Toma unos 7 minutos. "
    "Tus respuestas son anónimas: solo se muestran totales.",
    "Se 27 ti kesyon sou jan katye a òganize. Sa pran anviwon 7 minit. "
    "Repons ou yo anonim: se total sèlman yo montre.",
    "27 short questions about how the neighbourhood organises itself. It takes about 7 minutes. "
    "Your answers are anonymous: only totals are shown.")


def definition(title: dict[str, str] | None = None) -> dict[str, Any]:
    """The instrument as a survey definition (the JSON API's shape), each question with its `dimension`.

    Before each dimension's items a note introduces them to the vecino and names, for
    staff reading the definition, the dimension they measure (its own `dimension` too).
    """
    questions: list[dict[str, Any]] = [{"name": "bienvenida", "type": "note", "label": WELCOME}]
    for dimension in DIMENSIONS:
        questions.append({"name": f"nota_{dimension.code}", "type": "note", "label": dimension.intro,
                          "hint": dimension.label, "dimension": dimension.code})
        for item in ITEMS:
            if item.dimension != dimension.code:
                continue
            question: dict[str, Any] = {"name": item.name, "label": item.label, "required": True,
                                        "dimension": item.dimension}
            if item.type == "scale":
                question["type"] = "scale"
            else:
                question.update(type="select_one", choices=YES_NO)
            questions.append(question)
    return {"title": title or TITLE, "default_language": "es", "questions": questions}
