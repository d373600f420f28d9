"""Dates in Haitian Creole, which Babel's calendar data (CLDR) does not cover.

Without this, Babel falls back to its root locale and a vecina reads "2026 M12 13, Sun".
Kreyòl writes dates like French, with its own words: "dimanch 13 desanm 2026, 18:30".
"""

from datetime import date, datetime

WEEKDAYS = ("lendi", "madi", "mèkredi", "jedi", "vandredi", "samdi", "dimanch")  # Monday first, as date.weekday()
MONTHS = ("janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm", "oktòb", "novanm", "desanm")


def long_date(day: date) -> str:
    """"dimanch 13 desanm 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def medium_date(day: date) -> str:
    """"13 desanm 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_datetime(moment: datetime) -> str:
    """"dimanch 13 desanm 2026, 18:30" (24-hour clock, as in Haiti)."""
    return f"{long_date(moment.date())}, {moment:%H:%M}"


def short_datetime(moment: datetime) -> str:
    """"13/12/2026 18:30"."""
    return f"{moment:%d/%m/%Y %H:%M}"
