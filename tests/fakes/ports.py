"""In-memory ports, for testing conversations as pure tables (no database), and a chat stepper."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, Unpack

from bot.main import chat_of
from conversations.ballots.ports import BALLOTS, BallotView
from conversations.ballots.rules import Tally, tally
from conversations.convocatorias.ports import CONVOCATORIAS, ConvocatoriaStatus, ConvocatoriaView, Draft
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.members import BarrioRef, MemberChanges, MemberView, Record
from conversations.kernel.state import State
from conversations.programme.ports import PROGRAMME, Idea, IniciativaView, PhaseView
from conversations.surveys.answers import Answers
from conversations.surveys.form import Form
from conversations.surveys.ports import SURVEYS, SurveyView

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
FLOWS = chat_of()  # every flow of the process, as the composition root lists them


@dataclass
class MemoryDirectory:
    barrios: dict[str, BarrioRef] = field(default_factory=dict)  # code -> barrio
    members: dict[str, MemberView] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    exported: dict[str, dict[str, list[Record]]] = field(default_factory=dict)
    misses: list[datetime] = field(default_factory=list)  # codes this one chat typed that matched none

    def barrio_by_code(self, code: str) -> BarrioRef | None:
        return self.barrios.get(code)

    def code_misses(self, since: datetime) -> int:
        return sum(1 for at in self.misses if at > since)

    def code_missed(self, at: datetime) -> None:
        self.misses.append(at)

    def join(self, *, barrio_id: int, role: str, locale: str) -> str:
        name = next(b.name for b in self.barrios.values() if b.id == barrio_id)
        member_id = f"v{len(self.members) + 1:012d}"
        self.members[member_id] = MemberView(
            id=member_id, barrio_id=barrio_id, barrio_name=name, timezone="America/Santiago",
            locale=locale, role=role, subscribed=True, share_name=False, display_name=None, joined_at=NOW,
        )
        return member_id

    def member(self, member_id: str) -> MemberView | None:
        return self.members.get(member_id)

    def update_member(self, member_id: str, **changes: Unpack[MemberChanges]) -> None:
        self.members[member_id] = replace(self.members[member_id], **changes)

    def records(self, member_id: str) -> Mapping[str, int]:
        return self.counts.get(member_id, {})

    def export(self, member_id: str, locale: str) -> Mapping[str, Sequence[Record]]:
        return self.exported.get(member_id, {})

    def delete_member(self, member_id: str) -> None:
        self.members.pop(member_id, None)


@dataclass
class Chat:
    """One person's conversation, stepped event by event as the service would."""

    ctx_factory: object
    state: State = field(default_factory=lambda: State(locale="es"))

    def send(self, event: Event) -> list[str]:
        ctx = self.ctx_factory()  # type: ignore[operator]
        outcome = ctx.chat.handle(self.state, event, ctx)
        self.state = outcome.state
        self.last = outcome.replies
        return [reply.text for reply in outcome.replies]

    def say(self, text: str) -> list[str]:
        return self.send(Event.parse(text))

    def press(self, data: str) -> list[str]:
        return self.send(Event.button(data))

    @property
    def buttons(self) -> list[str]:
        return [b.data for reply in self.last for row in reply.buttons for b in row]


def memory_context(directory: MemoryDirectory, **ports: object) -> Context:
    """A context over in-memory ports, given by name: surveys=..., convocatorias=..., ballots=..., programme=..."""
    keys = {key.name: key for key in (SURVEYS, CONVOCATORIAS, BALLOTS, PROGRAMME)}
    ports = {"programme": MemoryProgramme(), **ports}  # the menu asks it whether the barrio is in Fase II
    return Context(directory=directory, now=NOW, bot_username="TestBot", chat=FLOWS,
                   ports={keys[name]: port for name, port in ports.items()})


@dataclass
class MemorySurveys:
    surveys: dict[int, SurveyView] = field(default_factory=dict)
    stored: dict[tuple[int, str], Answers] = field(default_factory=dict)  # a new version per change, as the SQL store
    done: set[tuple[int, str]] = field(default_factory=set)
    consents: dict[tuple[int, str], bool] = field(default_factory=dict)
    summaries: dict[int, dict[str, str]] = field(default_factory=dict)
    photos: dict[tuple[int, str, str], str] = field(default_factory=dict)  # (survey, member, question) -> reference

    def add(self, survey_id: int, barrio_id: int, definition: dict[str, Any], status: str = "open") -> None:
        self.surveys[survey_id] = SurveyView(survey_id, barrio_id, status, Form.load(definition))

    def open_for(self, barrio_id: int) -> list[SurveyView]:
        return [s for s in self.surveys.values() if s.barrio_id == barrio_id and s.status == "open"]

    def published_for(self, barrio_id: int) -> list[SurveyView]:
        return [s for s in self.surveys.values()
                if s.barrio_id == barrio_id and s.status == "closed" and s.id in self.summaries]

    def summary(self, survey_id: int) -> dict[str, str] | None:
        return self.summaries.get(survey_id)

    def get(self, survey_id: int) -> SurveyView | None:
        return self.surveys.get(survey_id)

    def answers(self, survey_id: int, member_id: str) -> Answers:
        return self.stored.get((survey_id, member_id)) or Answers()

    def completed(self, survey_id: int, member_id: str) -> bool:
        return (survey_id, member_id) in self.done

    def consent(self, survey_id: int, member_id: str) -> bool | None:
        return self.consents.get((survey_id, member_id))

    def set_consent(self, survey_id: int, member_id: str, consent: bool) -> None:
        self.consents[(survey_id, member_id)] = consent

    def save(self, survey_id: int, member_id: str, question: str, value: Any) -> None:
        self.stored[(survey_id, member_id)] = self.answers(survey_id, member_id).but({question: value})

    def keep_photo(self, survey_id: int, member_id: str, question: str, reference: str | None) -> None:
        if reference is None:
            self.photos.pop((survey_id, member_id, question), None)
        else:
            self.photos[(survey_id, member_id, question)] = reference

    def forget(self, survey_id: int, member_id: str, questions: list[str]) -> None:
        self.stored[(survey_id, member_id)] = self.answers(survey_id, member_id).but(dropped=questions)
        for question in questions:
            self.photos.pop((survey_id, member_id, question), None)

    def set_completed(self, survey_id: int, member_id: str, completed: bool) -> None:
        (self.done.add if completed else self.done.discard)((survey_id, member_id))


@dataclass
class MemoryConvocatorias:
    rows: dict[int, ConvocatoriaView] = field(default_factory=dict)
    answers: dict[tuple[int, str], str] = field(default_factory=dict)
    names: dict[str, str | None] = field(default_factory=dict)

    def send(self, *, member_id: str, draft: Draft) -> tuple[ConvocatoriaView, int]:
        view = ConvocatoriaView(len(self.rows) + 1, 1, draft.title, draft.starts_at, draft.place, draft.details,
                                draft.versions)
        self.rows[view.id] = view
        return view, 12

    def get(self, convocatoria_id: int) -> ConvocatoriaView | None:
        return self.rows.get(convocatoria_id)

    def upcoming(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        return [c for c in self.rows.values() if c.starts_at > now]

    def recent(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        return list(self.rows.values())

    def answer(self, convocatoria_id: int, member_id: str) -> str | None:
        return self.answers.get((convocatoria_id, member_id))

    def set_answer(self, convocatoria_id: int, member_id: str, answer: str) -> None:
        self.answers[(convocatoria_id, member_id)] = answer

    def share_name(self, member_id: str, name: str | None) -> None:
        self.names[member_id] = name

    def status(self, convocatoria_id: int) -> ConvocatoriaStatus | None:
        counts = {a: list(self.answers.values()).count(a) for a in ("yes", "maybe", "no")}
        return ConvocatoriaStatus(self.rows[convocatoria_id], {"sent": 10, "pending": 2}, counts)


@dataclass
class MemoryBallots:
    ballots: dict[int, BallotView] = field(default_factory=dict)
    votes: dict[tuple[int, str], tuple[int, ...]] = field(default_factory=dict)
    started: set[tuple[int, str]] = field(default_factory=set)
    casts: int = 0
    members: int = 10  # the barrio's members, for participation

    def open_ballots(self, barrio_id: int, now: datetime) -> list[BallotView]:
        return [b for b in self.ballots.values() if b.barrio_id == barrio_id and b.is_open(now)]

    def ballot(self, ballot_id: int) -> BallotView | None:
        return self.ballots.get(ballot_id)

    def closed_ballots(self, barrio_id: int) -> list[BallotView]:
        return [b for b in self.ballots.values() if b.barrio_id == barrio_id and b.status == "closed"]

    def results(self, ballot_id: int) -> tuple[Tally, int]:
        ballot = self.ballots[ballot_id]
        cast = [choice for (b, _member), choice in self.votes.items() if b == ballot_id]
        return tally(ballot.rules, ballot.options, cast), self.members

    def my_vote(self, ballot_id: int, member_id: str) -> tuple[int, ...] | None:
        return self.votes.get((ballot_id, member_id))

    def start(self, ballot_id: int, member_id: str, now: datetime) -> None:
        self.started.add((ballot_id, member_id))

    def cast(self, ballot_id: int, member_id: str, choice: Sequence[int], now: datetime) -> bool:
        self.casts += 1
        replaced = (ballot_id, member_id) in self.votes
        self.votes[(ballot_id, member_id)] = tuple(choice)
        return replaced


@dataclass
class MemoryProgramme:
    timelines: dict[int, list[PhaseView]] = field(default_factory=dict)  # barrio id -> phases
    rows: dict[int, IniciativaView] = field(default_factory=dict)
    followers: dict[tuple[int, str], bool] = field(default_factory=dict)
    ideas: list[tuple[str, int, Idea]] = field(default_factory=list)  # (member, barrio, idea)
    reported: list[tuple[int, str, date, str]] = field(default_factory=list)  # (iniciativa, text, day, member)
    hitos_need_approval: bool = True

    def phases(self, barrio_id: int) -> list[PhaseView]:
        return sorted(self.timelines.get(barrio_id, []), key=lambda p: (p.starts_on, p.phase))

    def iniciativas(self, barrio_id: int) -> list[IniciativaView]:
        found = [replace(i, hitos=()) for i in self.rows.values() if i.barrio_id == barrio_id]
        return sorted(found, key=lambda i: (i.status == "descartada", i.id))

    def iniciativa(self, iniciativa_id: int) -> IniciativaView | None:
        return self.rows.get(iniciativa_id)

    def following(self, iniciativa_id: int, member_id: str) -> bool:
        return self.followers.get((iniciativa_id, member_id), False)

    def follow(self, iniciativa_id: int, member_id: str, on: bool) -> None:
        self.followers[(iniciativa_id, member_id)] = on

    def propose(self, *, member_id: str, barrio_id: int, idea: Idea) -> int:
        self.ideas.append((member_id, barrio_id, idea))
        return len(self.ideas)

    def report_hito(self, iniciativa_id: int, text: str, on: date, member_id: str) -> bool:
        self.reported.append((iniciativa_id, text, on, member_id))
        return self.hitos_need_approval
