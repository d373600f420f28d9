"""Dates read naturally in Kreyòl everywhere a vecina meets one (Babel has no Haitian calendar)."""

from datetime import UTC, datetime

from conversations.ballots.notices import opened
from conversations.ballots.notices import reminder as ballot_reminder
from conversations.ballots.ports import BallotView
from conversations.ballots.rules import Option, Rules
from conversations.convocatorias.ports import ConvocatoriaView
from conversations.convocatorias.texts import body, reminder
from conversations.kernel.i18n import Translator
from conversations.kernel.members import BarrioRef
from tests.fakes.ports import Chat, MemoryDirectory, MemorySurveys, memory_context

SUNDAY_EVENING = datetime(2026, 12, 13, 21, 30, tzinfo=UTC)  # 18:30 in Santiago
HT = Translator("ht", "America/Santiago")
ASSEMBLY = ConvocatoriaView(id=1, barrio_id=1, title="Asanble", starts_at=SUNDAY_EVENING, place="Sede", details="")
BALLOT = BallotView(id=1, barrio_id=1, title="Vòt", description="", rules=Rules("single", 1, None, None),
                    options=(Option(0, "Jaden", "", "huertos", 1), Option(1, "Limyè", "", "habitabilidad", 1)),
                    closes_at=SUNDAY_EVENING, status="open")


def test_the_translator_writes_kreyol_dates() -> None:
    assert HT.datetime(SUNDAY_EVENING) == "dimanch 13 desanm 2026, 18:30"
    assert HT.date(SUNDAY_EVENING) == "13 desanm 2026"
    assert HT.timestamp(SUNDAY_EVENING) == "13/12/2026 18:30"


def test_convocatorias_and_their_reminders() -> None:
    assert "dimanch 13 desanm 2026, 18:30" in body(HT, ASSEMBLY, "Villa")
    assert "dimanch 13 desanm 2026, 18:30" in reminder(HT, ASSEMBLY, "yes")
    assert "M12" not in body(HT, ASSEMBLY, "Villa")


def test_ballots_and_their_reminders() -> None:
    assert "dimanch 13 desanm 2026, 18:30" in opened(HT, BALLOT, "Villa").text
    assert "dimanch 13 desanm 2026, 18:30" in ballot_reminder(HT, BALLOT).text


def test_a_date_answer_read_back_in_kreyol() -> None:
    surveys = MemorySurveys()
    surveys.add(1, barrio_id=1, definition={"title": "Ankèt", "questions": [
        {"name": "fecha", "type": "date", "label": {"es": "¿Cuándo llegaste?", "ht": "Ki lè ou te rive?"}}]})
    directory = MemoryDirectory(barrios={"K7MP2Q": BarrioRef(id=1, name="Villa", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say("/start K7MP2Q")
    chat.press("join:ht:K7MP2Q")
    chat.press("consent:yes:ht:K7MP2Q")
    chat.press("sv:1")
    shown = "\n".join(chat.say("24-12-2025"))
    assert "24 desanm 2025" in shown
