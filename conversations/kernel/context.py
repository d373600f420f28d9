"""Everything a flow step may consult besides the state and the event."""

from dataclasses import dataclass, field
from datetime import datetime

from conversations.ballots.ports import Ballots
from conversations.convocatorias.ports import Convocatorias
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Directory, MemberView
from conversations.surveys.ports import Surveys


@dataclass
class Context:
    directory: Directory
    now: datetime
    bot_username: str
    default_timezone: str = "America/Santiago"
    member: MemberView | None = None  # loaded by the router for joined vecinos
    surveys: Surveys | None = None
    convocatorias: Convocatorias | None = None
    ballots: Ballots | None = None
    _translators: dict[str, Translator] = field(default_factory=dict, repr=False)

    def tr(self, locale: str) -> Translator:
        """A translator for `locale` in the member's barrio time zone."""
        if locale not in self._translators:
            tz = self.member.timezone if self.member else self.default_timezone
            self._translators[locale] = Translator(locale, tz)
        return self._translators[locale]
