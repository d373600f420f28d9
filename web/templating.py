"""Jinja2 for the console: one environment, templates under web/templates, texts through our Babel catalogs.

Jinja's i18n extension resolves `gettext`/`ngettext` from each render's context, so every
page is rendered with the Translator of the staff user's language (`_("... {name}", name=x)`,
placeholders as everywhere else in the code). Dates and money are formatted by the same
Translator (es-CL, CLP).
"""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from conversations.kernel.i18n import Translator
from web import charts
from web.errors import explain

CONSOLE_LANGUAGES = {"es": "Español", "en": "English"}
LANG_COOKIE = "al_lang"

ENV = Environment(loader=PackageLoader("web"), autoescape=select_autoescape(default=True),
                  extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
ENV.globals["chart_data"] = charts  # the JSON each chart is drawn from (web/charts.py)


def language(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE, "es")
    return chosen if chosen in CONSOLE_LANGUAGES else "es"


def translator(request: Request, timezone: str = "America/Santiago") -> Translator:
    return Translator(language(request), timezone)


def render(request: Request, template: str, *, status: int = 200, timezone: str = "America/Santiago",
           **context: Any) -> HTMLResponse:
    t = translator(request, timezone)
    html = ENV.get_template(template).render(
        request=request, t=t, gettext=t._, ngettext=t.ngettext, languages=CONSOLE_LANGUAGES, lang=t.locale,
        explain=lambda error: explain(t, error),
        **context)
    return HTMLResponse(html, status_code=status)
