"""A choice typed instead of pressed: "a veces", "2", "si", "agua y luz" read as the question's options.

Older vecinos often type the answer they read on a button. An option matches by its number
(the place of its button, shown on it), or by its label in the vecino's language (or the
form's own), ignoring case, accents and punctuation, or by an unambiguous beginning, or by
a close spelling (one clear best). A multiple choice takes several, separated by commas,
"y", "and", "e", "ak" or spaces between numbers. Anything else is explained, translated.
"""

import difflib
import re
import unicodedata
from collections.abc import Sequence

from conversations.kernel.i18n import Translator
from conversations.surveys.questions import Choice, pick

MAX_TYPED = 300  # longer text is not a choice: no fuzzy matching over it
CLOSE = 0.8  # difflib ratio for a misspelling to count
_SEPARATORS = re.compile(r"\s*(?:,|;|/|\+|\s(?:y|e|and|ak|epi)\s)\s*")


def plain(text: str) -> str:
    """Lower case, no accents, no punctuation at the ends, single spaces: "¡Sí!" -> "si"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", bare).split())


def match_one(text: str, options: Sequence[Choice], locale: str, default: str,
              t: Translator) -> tuple[str | None, str | None]:
    """The option's name that `text` names, or a translated explanation."""
    found = _candidates(text, options, locale, default)
    if len(found) == 1:
        return options[found[0]].name, None
    return None, _problem(text, found, options, locale, default, t)


def match_several(text: str, options: Sequence[Choice], locale: str, default: str,
                  t: Translator) -> tuple[list[str] | None, str | None]:
    """The names of the options `text` lists, in the options' order, or a translated explanation."""
    whole = _candidates(text, options, locale, default)
    if len(whole) == 1:
        return [options[whole[0]].name], None
    parts = [p for p in _SEPARATORS.split(text.strip()) if p.strip()]
    if len(parts) == 1 and re.fullmatch(r"[\d\s]+", parts[0]):
        parts = parts[0].split()  # "1 3"
    chosen: set[int] = set()
    for part in parts:
        found = _candidates(part, options, locale, default)
        if len(found) != 1:
            return None, _problem(part, found, options, locale, default, t)
        chosen.add(found[0])
    return [options[i].name for i in sorted(chosen)], None


def _candidates(text: str, options: Sequence[Choice], locale: str, default: str) -> list[int]:
    """Indexes of the options `text` could mean, best rule first: number, label, beginning, spelling."""
    typed = plain(text)
    if not typed or len(typed) > MAX_TYPED:
        return []
    if typed.isdigit():
        number = int(typed)
        return [number - 1] if 1 <= number <= len(options) else []
    labels = [plain(pick(o.label, locale, default)) for o in options]
    others = [{plain(label) for label in o.label.values()} | {plain(o.name)} for o in options]
    exact = [i for i, label in enumerate(labels) if label == typed]
    exact = exact or [i for i, names in enumerate(others) if typed in names]
    if exact:
        return exact
    beginning = [i for i, label in enumerate(labels) if label.startswith(typed)]
    if beginning:
        return beginning
    close = difflib.get_close_matches(typed, labels, n=2, cutoff=CLOSE)
    if len(close) == 2 and difflib.SequenceMatcher(None, typed, close[0]).ratio() == difflib.SequenceMatcher(
            None, typed, close[1]).ratio():
        return [labels.index(close[0]), labels.index(close[1])]
    return [labels.index(close[0])] if close else []


def _problem(text: str, found: list[int], options: Sequence[Choice], locale: str, default: str,
             t: Translator) -> str:
    typed = text.strip()[:40]
    if len(found) > 1:
        names = ", ".join(f"«{pick(options[i].label, locale, default)}»" for i in found[:4])
        return t._("«{typed}» puede ser {options}. Escribe un poco más o toca un botón.", typed=typed, options=names)
    return t._("No encontré «{typed}» entre las opciones. Toca un botón o escribe el número de la opción.",
               typed=typed)
