"""A ballot's results as an ejecutor downloads them (`results.csv`, `results.xlsx`).

The table ranks the iniciativas (place, number, title, ámbito, cost, ballots that include
each one, points); a `selected` column follows only where the method selects, the
participatory budget (greedy within the budget): a single choice, an approval or a ranked
ballot ranks without selecting, so its table has no such column. The workbook starts with an
`info` sheet, as a survey's does: the ballot's title, number, method, status, barrio,
voters, members and participation (a share, 0..1), the budget and what the selection costs
(budget only), how it was counted, when (barrio's time) and by whom it was exported.
"""

from datetime import UTC, datetime

from api.ballots.models import BallotResults
from api.barrios.models import Barrio
from api.kernel.exports import Cell, Sheet
from conversations.ballots.rules import APPROVAL, BUDGET, RANKED, SINGLE
from conversations.kernel.i18n import SOURCE_LOCALE, Translator

RESULTS_HEADER = ["rank", "number", "iniciativa", "ambito", "cost_clp", "votes", "points"]


def selects(counted: BallotResults) -> bool:
    """Whether the method selects iniciativas (the budget's greedy fill), beyond ranking them."""
    return counted.method == BUDGET


def results_header(counted: BallotResults) -> list[str]:
    return [*RESULTS_HEADER, "selected"] if selects(counted) else list(RESULTS_HEADER)


def result_rows(counted: BallotResults) -> list[list[Cell]]:
    """The ranking, one row per iniciativa; yes/no in `selected` where the method selects."""
    marked = selects(counted)
    return [[line.rank, line.index + 1, line.title, line.ambito, line.cost, line.votes, line.points,
             *(("yes" if line.selected else "no",) if marked else ())] for line in counted.ranking]


def info_sheet(counted: BallotResults, barrio: Barrio, by: str) -> Sheet:
    """What the workbook is, in Spanish (the console's language), times in the barrio's."""
    t = Translator(SOURCE_LOCALE, barrio.timezone)
    methods = {SINGLE: t._("una iniciativa"), APPROVAL: t._("varias iniciativas (hasta un máximo)"),
               BUDGET: t._("presupuesto participativo"), RANKED: t._("ordenar por preferencia")}
    rows: list[list[Cell]] = [
        [t._("Votación"), counted.title],
        [t._("Número de la votación"), counted.ballot_id],
        [t._("Método"), methods.get(counted.method, counted.method)],
        [t._("Estado"), counted.status],
        [t._("Barrio"), f"{barrio.name} ({barrio.comuna})"],
        [t._("Votantes"), counted.voters],
        [t._("Vecinos del barrio"), counted.members],
        [t._("Participación (votantes / vecinos)"), counted.participation],
    ]
    if selects(counted):
        rows += [[t._("Presupuesto (CLP)"), counted.budget],
                 [t._("Costo de lo seleccionado (CLP)"), counted.selected_cost],
                 [t._("Iniciativas seleccionadas"), len(counted.selected)]]
    now = datetime.now(UTC).astimezone(t.tz).replace(tzinfo=None)
    rows += [[t._("Conteo"), counted.counting_rule], [t._("Exportado"), now], [t._("Exportado por"), by]]
    return Sheet("info", [t._("Archivo"), t._("Resultados de una votación")], rows)
