"""What a form derives from one version of a vecina's answers, worked out from the version before.

One chat update reads the answers, stores one, recalculates, forgets what no longer
applies and asks the next question: each step is a new version of the answers (answers.py)
and asks the form which places apply, which answers are stale, how many instances a repeat
has. An `Evaluation` holds those for one version. It is derived from the evaluation of the
version it came from (or, for answers just read from storage, of the last version seen,
compared in C): only the condition sets reading a changed name are decided again, a
repeat's block is walked again only when something it reads changed, and when nothing that
applies changed the places that apply and the stale answers are the previous ones, shared.
So an update costs what its changes cost, not what the form's length costs.

`Form.reference` works everything out again from the answers alone, with nothing
remembered: the check the incremental path is tested against.
"""

import threading
from collections import OrderedDict
from collections.abc import Mapping
from itertools import compress, repeat
from operator import not_
from typing import TYPE_CHECKING, Any

from conversations.surveys.answers import Answers, differing
from conversations.surveys.expr import value
from conversations.surveys.questions import MAX_INSTANCES, Place, split_key

if TYPE_CHECKING:
    from conversations.surveys.form import Form

KEPT = 8  # evaluations remembered per form: the versions of one update (answers stay in memory no longer)
_GONE = object()


class Seen(dict[str, Any]):
    """The answers as an expression at one place reads them, by question name.

    A question of the same repeat is the current instance's answer; a repeated question read
    from elsewhere is its first instance's (as XPath reads a node-set); `nodes` gives all
    instances to count(), sum() (from outside the repeat), indexed-repeat(); `position` is
    position(..). A plain dict underneath, so that the many lookups of a walk cost what they
    cost without repeats: the answers, with the first instances (outside repeats) or the
    current instance's answers (inside one) laid over them.
    """

    def __init__(self, evaluation: "Evaluation", repeat: str = "", position: int = 0) -> None:
        answers, layout = evaluation.answers, evaluation.form.layout
        self.evaluation, self.answers, self.repeat, self.position = evaluation, answers, repeat, position
        if not repeat:
            super().__init__(answers)
            for name in layout.repeat_of:
                first = answers.get(f"{name}#1", _GONE)
                if first is not _GONE:
                    self[name] = first
            return
        super().__init__(evaluation.outside)
        for name in layout.names_in[repeat]:
            key = f"{name}#{position}"
            if key in answers:
                self[name] = answers[key]
            elif name in answers:
                self[name] = answers[name]
            else:
                self.pop(name, None)

    def nodes(self, name: str, absolute: bool = False) -> list[Any] | None:
        repeat = self.evaluation.form.layout.repeat_of.get(name, "")
        if not repeat or (repeat == self.repeat and not absolute):
            return None
        count = self.evaluation.instances(repeat)
        return [self.answers.get(f"{name}#{k}") for k in range(1, count + 1)]


class Evaluation:
    """Which places apply to one version of the answers, the stale answers, each repeat's count."""

    def __init__(self, form: "Form", answers: Answers, base: "Evaluation | None" = None,
                 changed: set[str] | None = None, remember: bool = True) -> None:
        self.form, self.answers, self.remember = form, answers, remember
        conditions = form.conditions
        self.outside: Mapping[str, Any] = Seen(self) if form.layout.repeats else answers
        self._seen: dict[tuple[str, int], Seen] = {}
        self._counts: dict[str, int] = {}
        self._blocks: dict[str, list[tuple[Place, bool]]] = {}
        self._stale: tuple[str, ...] | None = None
        self._stale_from: tuple[tuple[str, ...], set[str]] | None = None
        self._decided: list[bool] | None = None
        self._vector: tuple[bool, ...] | None = None
        self._places: Places | None = None
        if base is None or changed is None:
            return  # which questions apply is decided when first asked (a repeat's count may be all that is)
        names = {split_key(key)[0] for key in changed}
        decided, flipped = list(base.decided), False
        for k in conditions.touched(names):
            holds = conditions.decide(k, self.outside)
            if holds != decided[k]:
                decided[k], flipped = holds, True
        self._decided = decided
        self._vector = tuple(map(decided.__getitem__, conditions.set_of)) if flipped else base.vector
        kept = 0
        for name, reads in form.block_reads.items():
            if reads is not None and not reads & names:
                kept += 1
                if name in base._counts:
                    self._counts[name] = base._counts[name]
                if name in base._blocks:
                    self._blocks[name] = base._blocks[name]
        if flipped or kept < len(form.block_reads):
            return
        self._places = base.places  # nothing that applies changed
        if base._stale is not None:
            self._stale_from = (base._stale, set(changed))
        elif base._stale_from is not None:
            self._stale_from = (base._stale_from[0], base._stale_from[1] | changed)

    @property
    def decided(self) -> list[bool]:
        """Per condition set, whether it holds (read outside repeats)."""
        if self._decided is None:
            conditions = self.form.conditions
            self._decided = [conditions.decide(k, self.outside, self.remember) for k in range(len(conditions.sets))]
        return self._decided

    @property
    def vector(self) -> tuple[bool, ...]:
        """Per question, whether it applies (read outside repeats: a repeated question is its first instance)."""
        if self._vector is None:
            self._vector = tuple(map(self.decided.__getitem__, self.form.conditions.set_of))
        return self._vector

    @property
    def places(self) -> "Places":
        if self._places is None:
            self._places = Places(self)
        return self._places

    def seen(self, place: Place) -> Mapping[str, Any]:
        """The answers as expressions at `place` read them."""
        repeat_name = self.form.questions[place.index].repeat
        if not repeat_name:
            return self.outside
        found = self._seen.get((repeat_name, place.instance))
        if found is None:
            found = self._seen[(repeat_name, place.instance)] = Seen(self, repeat_name, place.instance)
        return found

    def instances(self, repeat_name: str) -> int:
        """How many instances a repeat has now: its repeat_count, else one more than the "add another?"
        questions answered yes in a row; none when the repeat does not apply."""
        count = self._counts.get(repeat_name)
        if count is None:
            count = self._counts[repeat_name] = self._count(repeat_name)
        return count

    def _count(self, repeat_name: str) -> int:
        form = self.form
        own = form.questions[form.layout.repeats[repeat_name][1]]
        if not all(form.conditions.holds(tree, None, self.outside) for tree in own.conditions):
            return 0
        if own.repeat_count is not None:
            try:
                count = int(float(value(own.repeat_count, self.outside, zone=form.zone)))
            except (TypeError, ValueError, OverflowError):
                return 0
            return max(0, min(count, MAX_INSTANCES))
        count = 1
        while count < MAX_INSTANCES and self.answers.get(f"{repeat_name}#{count}") is True:
            count += 1
        return count

    def block(self, repeat_name: str) -> list[tuple[Place, bool]]:
        """A repeat's places in every instance, with whether each applies there."""
        found = self._blocks.get(repeat_name)
        if found is None:
            found = self._blocks[repeat_name] = self._walk_block(repeat_name)
        return found

    def _walk_block(self, repeat_name: str) -> list[tuple[Place, bool]]:
        conditions = self.form.conditions
        places = next(places for name, places in self.form.layout.segments if name == repeat_name)
        found: list[tuple[Place, bool]] = []
        for instance in range(1, self.instances(repeat_name) + 1):
            seen, walked = self.seen(Place(places[0].index, instance)), {}
            found += [(Place(place.index, instance), conditions.applies_at(place.index, seen, walked, self.remember))
                      for place in places]
        return found

    def applies_at(self, place: Place) -> bool:
        """Whether the question applies at `place`: its relevant and its groups'."""
        return self.form.conditions.applies_at(place.index, self.seen(place), {}, self.remember)

    @property
    def walk(self) -> tuple[tuple[Place, bool], ...]:
        return self.places.walk

    @property
    def holding(self) -> tuple[Place, ...]:
        return self.places.holding

    @property
    def listed(self) -> tuple[Place, ...]:
        return self.places.listed

    @property
    def filtered(self) -> list[Place]:
        """The places that apply whose question has a choice_filter."""
        form, found = self.form, []
        for index in form.layout.filtered:
            repeat_name = form.questions[index].repeat
            if repeat_name:
                found += [place for place, holds in self.block(repeat_name) if holds and place.index == index]
            elif self.vector[index]:
                found.append(Place(index))
        return found

    @property
    def stale(self) -> tuple[str, ...]:
        """Keys of stored answers that no longer stand: a question that does not apply now, or an instance gone."""
        if self._stale is None:
            self._stale = self._stale_since() if self._stale_from is not None else self._stale_keys()
        return self._stale

    def _stale_since(self) -> tuple[str, ...]:
        """The stale keys from those of an earlier version with the same places: only changed keys are looked at."""
        before, changed = self._stale_from  # type: ignore[misc]
        answers = self.answers
        gone = {key for key in before if key in answers and key not in changed}
        gone.update(key for key in changed if key in answers and self._gone(key))
        return tuple(key for key in answers if key in gone) if gone else ()

    def _gone(self, key: str) -> bool:
        name, _ = split_key(key)
        question = self.form.question(name)
        if question is None:
            return False
        if "#" not in key:
            index = self.form.index_of(name)
            return bool(question.repeat) or (question.asked and not self.vector[index])
        if not question.repeat:
            return False
        applies = self.places.holds.get(key)
        return applies is None or (applies is False and question.asked)

    def _stale_keys(self) -> tuple[str, ...]:
        answers, layout = self.answers, self.form.layout
        vector, (names, indexes) = self.vector, layout.asked_outside
        gone = set(compress(names, map(not_, map(vector.__getitem__, indexes)))) & answers.keys()
        if layout.repeats:
            gone |= answers.keys() & layout.repeat_of.keys()  # a repeated question's answer without an instance
            gone.update(key for key in compress(answers, map(str.__contains__, answers, repeat("#")))
                        if self._gone(key))
        return tuple(key for key in answers if key in gone) if gone else ()


class Places:
    """The places that apply to a version of the answers, shared by the versions after it that change none."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self._found: dict[str, Any] = {}

    def _once(self, what: str, compute: Any) -> Any:
        found = self._found.get(what)
        if found is None:
            found = self._found[what] = compute()
        return found

    @property
    def walk(self) -> tuple[tuple[Place, bool], ...]:
        """Every place in the order asked, with whether it applies (a repeat's once per instance)."""
        return self._once("walk", self._walk)

    def _walk(self) -> tuple[tuple[Place, bool], ...]:
        evaluation = self.evaluation
        vector, found = evaluation.vector, []
        for repeat_name, places, indexes in evaluation.form.layout.all_runs:
            found += (evaluation.block(repeat_name) if repeat_name
                      else zip(places, map(vector.__getitem__, indexes), strict=True))
        return tuple(found)

    @property
    def holding(self) -> tuple[Place, ...]:
        """The places the chat asks (questions, notes, "add another?") that apply, in order."""
        return self._once("holding", lambda: self._applying("asked"))

    @property
    def listed(self) -> tuple[Place, ...]:
        """The places that apply and take an answer (not notes): what the review lists and progress counts."""
        return self._once("listed", lambda: self._applying("listed"))

    def _applying(self, which: str) -> tuple[Place, ...]:
        evaluation, layout = self.evaluation, self.evaluation.form.layout
        vector, found = evaluation.vector, []
        for repeat_name, places, indexes in layout.asked_runs if which == "asked" else layout.listed_runs:
            found += ([place for place, holds in evaluation.block(repeat_name) if holds and place.index in indexes]
                      if repeat_name else compress(places, map(vector.__getitem__, indexes)))
        return tuple(found)

    @property
    def holds(self) -> dict[str, bool]:
        """Whether each place inside a repeat applies, by its answer's key."""
        evaluation = self.evaluation
        key = evaluation.form.layout.key
        return self._once("holds", lambda: {key(place): applies for name in evaluation.form.layout.repeats
                                            for place, applies in evaluation.block(name)})


class Evaluations:
    """The evaluations of a form's latest versions of answers, by version; each new one derived from its origin's
    (or the latest's). A cache, not state: the form stays frozen, and any evaluation is what `reference` gives."""

    def __init__(self, form: "Form") -> None:
        self.form = form
        self._by_id: OrderedDict[int, tuple[Answers, Evaluation]] = OrderedDict()  # by the id of the version
        self._latest: Evaluation | None = None
        self._lock = threading.Lock()  # the chat (event loop) and the API (threadpool) share a form

    def of(self, answers: Mapping[str, Any]) -> Evaluation:
        if type(answers) is Answers:
            found = self._by_id.get(id(answers))
            if found is not None and found[0] is answers:
                return found[1]
            latest = self._latest
            if latest is not None and _twins(answers, latest.answers):
                return self._keep(answers, latest)  # the store's copy of a version the flow just made
            base, changed = self._origin(answers)
            if base is None:  # answers just read from storage: most often those the latest evaluation was of
                base = self._latest
                if base is not None:
                    changed = set() if base.answers == answers else differing(base.answers, answers)
        else:  # a plain mapping (an export's row, a test): worked out afresh, only as far as it is asked
            latest = self._latest
            if latest is not None and latest.answers == answers:
                return latest
            answers, base, changed = Answers(answers), None, None
        if base is not None and not changed and self.form.timeless:
            evaluation = base  # the same answers, and nothing in the form reads the clock
        else:
            evaluation = Evaluation(self.form, answers, base, changed)
        return self._keep(answers, evaluation)

    def _keep(self, answers: Answers, evaluation: Evaluation) -> Evaluation:
        with self._lock:
            self._by_id[id(answers)] = (answers, evaluation)
            while len(self._by_id) > KEPT:
                self._by_id.popitem(last=False)
            self._latest = evaluation
        return evaluation

    def _origin(self, answers: Answers) -> tuple[Evaluation | None, set[str] | None]:
        """The evaluation of the closest version `answers` came from, and the keys changed since."""
        changed, origin = set(answers.changed), answers.origin()
        for _ in range(KEPT):
            if origin is None:
                break
            found = self._by_id.get(id(origin))
            if found is not None and found[0] is origin:
                return found[1], changed
            changed |= origin.changed
            origin = origin.origin()
        return None, None


def _twins(one: Answers, other: Answers) -> bool:
    """Whether two versions made from the same one by the same change (so the same answers), told without
    comparing every answer."""
    origin = one.origin()
    return (origin is not None and origin is other.origin() and one.changed == other.changed
            and all(one.get(key, _GONE) == other.get(key, _GONE) for key in one.changed))
