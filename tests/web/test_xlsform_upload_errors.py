"""Uploading a broken XLSForm in the console: the barrio's page lists every problem at once, each with
the sheet, row and column as Excel shows them, in plain Spanish (English when the staff user chose it)."""

import html
import re

import httpx
import pytest

from api.surveys.xlsform_problems import Problem
from conversations.kernel.i18n import Translator
from tests.broken_forms import BROKEN, MANY, MANY_WHERE, Broken
from tests.factories import TwoOrganisations, csrf_of


async def _upload(browser: httpx.AsyncClient, world: TwoOrganisations, workbook: bytes) -> httpx.Response:
    page = await browser.get(f"/consola/barrios/{world.ours.id}")
    return await browser.post(f"/consola/barrios/{world.ours.id}/encuestas", data={"csrf": csrf_of(page.text)},
                              files={"file": ("formulario.xlsx", workbook)})


def _problems(page: str) -> list[str]:
    """The lines of the page's error block."""
    block = re.search(r'<div class="error" role="alert">(.*?)</div>', page, re.S)
    assert block is not None, "no error block"
    return [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def _where(t: Translator, found: tuple[str, str, int | None, str | None]) -> str:
    code, sheet, row, column = found
    return Problem(sheet, row, column, code).where(t)


@pytest.mark.parametrize("broken", BROKEN, ids=[b.why for b in BROKEN])
async def test_a_broken_form_is_explained_in_spanish_with_its_place(browser: httpx.AsyncClient,
                                                                     world: TwoOrganisations, broken: Broken) -> None:
    answer = await _upload(browser, world, broken.workbook)
    assert answer.status_code == 422
    assert "No pudimos cargar el formulario" in answer.text
    [line] = _problems(answer.text)
    assert line.startswith(f"{_where(Translator('es'), broken.where)}: ") and broken.es in line


@pytest.mark.parametrize("broken", BROKEN[:6], ids=[b.why for b in BROKEN[:6]])
async def test_in_english_when_the_staff_user_chose_it(browser: httpx.AsyncClient, world: TwoOrganisations,
                                                       broken: Broken) -> None:
    browser.cookies.set("al_lang", "en")
    answer = await _upload(browser, world, broken.workbook)
    assert answer.status_code == 422 and "We could not load the form" in answer.text
    [line] = _problems(answer.text)
    assert line.startswith(f"{_where(Translator('en'), broken.where)}: ") and broken.en in line


async def test_every_mistake_of_a_form_is_listed_at_once(browser: httpx.AsyncClient,
                                                         world: TwoOrganisations) -> None:
    answer = await _upload(browser, world, MANY)
    assert answer.status_code == 422
    lines = _problems(answer.text)
    assert len(lines) == len(MANY_WHERE)
    places = {_where(Translator("es"), found) for found in MANY_WHERE}
    assert {line.split(": ", 1)[0] for line in lines} == places
    assert not any(english in line for line in lines for english in ("Sheet", "row", "is not a question", "Could"))


async def test_a_file_larger_than_the_limit_is_said_plainly(browser: httpx.AsyncClient,
                                                            world: TwoOrganisations) -> None:
    answer = await _upload(browser, world, b"x" * 5_000_001)
    assert answer.status_code == 422
    assert _problems(answer.text) == ["Archivo: El archivo pesa más de 5 MB. Quite hojas o imágenes que no sean "
                                      "parte del formulario."]
