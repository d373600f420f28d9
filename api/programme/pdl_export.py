"""The PDL as a table: one row per iniciativa, with its problem, financing and latest hito."""

from api.kernel.exports import Cell
from api.programme.pdl_models import PdlPublic

PDL_HEADER = ["id", "title", "ambito", "urgencia", "status", "progress", "cost", "fosis_amount", "contributions",
              "financing", "responsible", "problem", "dimension", "ballot_id", "hitos", "latest_hito"]


def pdl_rows(plan: PdlPublic) -> list[list[Cell]]:
    problems = {p.id: p for p in plan.problems}
    rows: list[list[Cell]] = []
    for i in plan.iniciativas:
        problem = problems.get(i.problem_id) if i.problem_id else None
        shown = [h for h in i.hitos if not h.pending]  # what vecinos see: the grupo motor's wait for approval
        latest = f"{shown[0].on.isoformat()}: {shown[0].text}" if shown else None
        rows.append([i.id, i.title, i.ambito, i.urgencia, i.status, i.progress, i.cost, i.fosis_amount,
                     i.contributions, i.financing, i.responsible, problem.title if problem else None,
                     problem.dimension if problem else None, i.ballot_id, len(shown), latest])
    return rows
