"""What a vecino types or sends, read as an answer of the question's type, or a translated explanation.

A choice typed instead of pressed is read by matching.py.

Numbers with a decimal comma, dates as day-month-year, times as 18:30 or 18h30, places as
"-33.45, -70.66": people write them in many ways; the stored form is what ODK stores (ISO
dates, "18:30", "lat lon altitude accuracy"). A shared location or a photo comes as an
event of its own (`parse_media`); a photo is kept as the channel's reference to the heaviest of its
sizes that the size limit allows (api/surveys/photo_copies.py copies its bytes afterwards).
"""

import re
from datetime import date
from typing import Any

from conversations.kernel.events import Event, Kind, PhotoSize, Place
from conversations.kernel.i18n import Translator
from conversations.surveys.matching import match_one, match_several, plain
from conversations.surveys.questions import CHOICE_TYPES, SCALE, Choice, Question, number_text

MAX_TEXT = 1000
_NUMBER = r"-?\d{1,3}(?:[.,]\d+)?"
_POINT = re.compile(rf"({_NUMBER})\s*[,;]\s*({_NUMBER})|({_NUMBER})\s+({_NUMBER})")


def parse_typed(question: Question, options: tuple[Choice, ...], text: str, t: Translator,
                default: str = "es") -> tuple[Any, str | None]:
    """The typed answer as stored, or a translated explanation of what is wrong.

    `default` is the form's language, whose labels a typed choice may also use.
    """
    text = text.strip()
    if question.type == "scale":
        return _scale(question, text, t)
    if question.type == "select_one" and options:
        return match_one(text, options, t.locale, default, t)
    if question.type == "select_multiple" and options:
        return match_several(text, options, t.locale, default, t)
    if question.type == "range" and question.bounds is not None:
        number = _typed_number(text)
        if number is not None and question.in_range(number):
            return as_number(number), None
        start, end = (number_text(n) for n in question.bounds[:2])
        return None, t._("Escribe un número de {start} a {end}.", start=start, end=end)
    if question.type in (*CHOICE_TYPES, "scale", "note", "acknowledge", "rank", "repeat"):
        return None, t._("Para esta pregunta usa los botones.")
    if not text:
        return None, t._("Escribe tu respuesta.")
    if question.type == "text":
        if len(text) > MAX_TEXT:
            return None, t._("Tu respuesta es muy larga: máximo {max} letras.", max=MAX_TEXT)
        return text, None
    if question.type == "integer":
        compact = re.sub(r"[\s.]", "", text)
        if re.fullmatch(r"-?\d{1,12}", compact):
            return int(compact), None
        return None, t._("Escribe solo un número entero, por ejemplo 3.")
    if question.type == "decimal":
        compact = text.replace(" ", "").replace(",", ".")
        if re.fullmatch(r"-?\d{1,12}(\.\d+)?", compact):
            return float(compact), None
        return None, t._("Escribe solo un número, por ejemplo 2,5.")
    if question.type == "time":
        moment = _time(text)
        return (moment, None) if moment else (None, t._("No entendí la hora. Escríbela como 18:30."))
    if question.type == "datetime":
        return _datetime(text, t)
    if question.type == "geopoint":
        return _point(text, t)
    if question.type == "image":
        return None, t._("Para esta pregunta envía una foto, o toca «Omitir».")
    return _date(text, t)


def _scale(question: Question, text: str, t: Translator) -> tuple[Any, str | None]:
    """"4", or the exact word of an end the form names ("nada" is 1, "mucho" is 5)."""
    if text in SCALE:
        return int(text), None
    for number, labels in zip((1, 5), question.anchors or (), strict=False):
        if plain(text) and plain(text) in {plain(label) for label in labels.values()}:
            return number, None
    return None, t._("Elige un número del 1 al 5.")


def parse_media(question: Question, event: Event, t: Translator, max_photo_mb: float) -> tuple[Any, str | None]:
    """A shared location (for a geopoint) or a photo (for an image) as stored, or what to send instead.

    A photo is stored as the reference of its heaviest size within `max_photo_mb`; only when even its
    lightest size weighs more is it refused (an image question is always optional: the vecino may skip it).
    """
    if question.type == "geopoint" and event.kind is Kind.LOCATION and event.place is not None:
        return geopoint(event.place), None
    if question.type == "image" and event.kind is Kind.PHOTO and event.photo_sizes:
        fitting = fitting_size(event.photo_sizes, max_photo_mb)
        if fitting is None:
            return None, t._("La foto pesa demasiado: máximo {max} MB. Envía una más liviana o, como esta pregunta "
                             "es opcional, toca «Omitir».", max=t.number(max_photo_mb))
        return fitting.reference, None
    if question.type == "image":
        return None, t._("Para esta pregunta envía una foto, o toca «Omitir».")
    if question.type == "geopoint":
        return None, t._("Para esta pregunta comparte tu ubicación, o escríbela como latitud, longitud.")
    return None, t._("Esta pregunta no se responde con una ubicación ni con una foto.")


def fitting_size(sizes: tuple[PhotoSize, ...], max_photo_mb: float) -> PhotoSize | None:
    """The heaviest size within the limit (a size whose weight the channel does not say counts as within)."""
    within = [size for size in sizes if size.size <= max_photo_mb * 1_000_000]
    return max(reversed(within), key=lambda size: size.size, default=None)  # ties: the channel's last


def geopoint(place: Place) -> str:
    """A place as ODK stores a geopoint: "latitude longitude altitude accuracy" (altitude unknown: 0)."""
    accuracy = number_text(place.accuracy) if place.accuracy is not None else "0"
    return f"{number_text(place.latitude)} {number_text(place.longitude)} 0 {accuracy}"


def shown_point(stored: str) -> str:
    """A stored geopoint as the vecino reads it: "-33.45, -70.66"."""
    return ", ".join(stored.split()[:2])


def _point(text: str, t: Translator) -> tuple[Any, str | None]:
    """ "-33.45, -70.66", "-33.45 -70.66", "-33,45; -70,66" -> a geopoint; else what to write."""
    match = _POINT.fullmatch(text.strip())
    if match is not None:
        latitude, longitude = (float(part.replace(",", ".")) for part in match.groups() if part is not None)
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            return geopoint(Place(latitude, longitude)), None
    return None, t._("No entendí la ubicación. Compártela con 📎 «Ubicación», o escribe latitud y longitud, por "
                     "ejemplo -33.45, -70.66.")


def _time(text: str) -> str | None:
    """"18:30", "18.30", "18h30", "9:05" -> "18:30"; None when it is no time of day."""
    match = re.fullmatch(r"(\d{1,2})\s*[:.h]\s*(\d{2})\s*(?:h|hrs?)?", text.strip().lower())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _datetime(text: str, t: Translator) -> tuple[Any, str | None]:
    match = re.fullmatch(r"(.+?)[\sT,]+(\d{1,2}\s*[:.h]\s*\d{2})\s*(?:h|hrs?)?", text.strip())
    moment = _time(match.group(2)) if match else None
    day, problem = _date(match.group(1).strip(), t) if match else (None, "")
    if match is None or moment is None or problem is not None:
        return None, t._("No entendí. Escribe la fecha y la hora, por ejemplo 24-12-2026 18:30.")
    return f"{day}T{moment}", None


def _typed_number(text: str) -> float | None:
    compact = text.replace(" ", "").replace(",", ".")
    return float(compact) if re.fullmatch(r"-?\d{1,12}(\.\d+)?", compact) else None


def as_number(value: str | float) -> int | float:
    """A number as stored: whole numbers as int."""
    number = float(value)
    return int(number) if number.is_integer() else number


def _date(text: str, t: Translator) -> tuple[Any, str | None]:
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text) or re.fullmatch(
        r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if match is None:
            raise ValueError
        parts = [int(p) for p in match.groups()]
        day = date(*parts) if len(match.group(1)) == 4 else date(parts[2], parts[1], parts[0])
        return day.isoformat(), None
    except ValueError:
        return None, t._("No entendí la fecha. Escríbela como día-mes-año, por ejemplo 24-12-2026.")
