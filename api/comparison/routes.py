"""The built-in instrument to download; línea base vs línea de salida per barrio and across the organisation."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse, StreamingResponse

from api.barrios.deps import ActingStaff, CurrentEjecutor, OwnedBarrio
from api.comparison.export import HEADER, ORGANISATION_HEADER, organisation_table, table
from api.comparison.instrument import definition
from api.comparison.models import Comparison, OrganisationComparison
from api.comparison.publish import SummaryPreview, SummarySent, preview, send
from api.comparison.report import DEFAULT_MIN_CELL, barrio_comparison, barrio_names, organisation_comparison
from api.comparison.xlsform import instrument_xlsform
from api.kernel.deps import EngineDep, SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.exports import XLSX_TYPE, csv_response, xlsx_response
from api.privacy.log import exported, exported_all

router = APIRouter(tags=["comparison"], responses=ERROR_RESPONSES)

Base = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="the línea base survey; the latest if omitted")]
Salida = Annotated[int | None, Query(ge=1, le=2**31 - 1,
                                     description="the línea de salida survey; the latest if omitted")]
Language = Annotated[str | None, Query(max_length=8, description="label language; the salida's default if omitted")]
MinCell = Annotated[int, Query(ge=3, le=100, description="counts of fewer respondents are withheld")]


@router.get("/api/comparison/instrument.xlsx", response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {}}}})
def instrument_workbook(ejecutor: CurrentEjecutor) -> Response:
    """The built-in capacidades instrument as an XLSForm (es, ht, en; a `dimension` column) to adapt and load."""
    return Response(instrument_xlsform(), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="capacidades-barrio.xlsx"'})


@router.get("/api/comparison/instrument")
def instrument_definition(ejecutor: CurrentEjecutor) -> dict[str, Any]:
    """The same instrument as a JSON survey definition, each question with its `dimension`."""
    return definition()


@router.get("/api/barrios/{barrio_id}/comparison", response_model=Comparison)
def comparison(barrio: OwnedBarrio, session: SessionDep, engine: EngineDep, base: Base = None,
               salida: Salida = None, lang: Language = None, min_cell: MinCell = DEFAULT_MIN_CELL) -> Comparison:
    """Línea base vs línea de salida: per question and per dimension index, paired and unpaired, Holm-adjusted."""
    return barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida, language=lang,
                             min_cell=min_cell)


@router.get("/api/barrios/{barrio_id}/comparison.csv", response_class=StreamingResponse)
def comparison_csv(barrio: OwnedBarrio, session: SessionDep, engine: EngineDep, by: ActingStaff, base: Base = None,
                   salida: Salida = None, lang: Language = None,
                   min_cell: MinCell = DEFAULT_MIN_CELL) -> StreamingResponse:
    """The comparison as one table: a row per question, then one per dimension index and the overall index."""
    found = barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida, language=lang,
                              min_cell=min_cell)
    exported(session, barrio.id or 0, f"comparison {found.base.id}-{found.salida.id}.csv", by)
    return csv_response(f"comparison-{found.base.id}-{found.salida.id}.csv", HEADER, table(found))


@router.get("/api/barrios/{barrio_id}/comparison.xlsx", response_class=FileResponse)
def comparison_xlsx(barrio: OwnedBarrio, session: SessionDep, engine: EngineDep, by: ActingStaff, base: Base = None,
                    salida: Salida = None, lang: Language = None, min_cell: MinCell = DEFAULT_MIN_CELL) -> FileResponse:
    """The same table as the CSV, as an Excel workbook."""
    found = barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida, language=lang,
                              min_cell=min_cell)
    exported(session, barrio.id or 0, f"comparison {found.base.id}-{found.salida.id}.xlsx", by)
    return xlsx_response(f"comparison-{found.base.id}-{found.salida.id}.xlsx", "comparacion", HEADER, table(found))


Approved = Annotated[str, Query(min_length=1, max_length=64, description="the version of the preview staff read")]


@router.get("/api/barrios/{barrio_id}/comparison/summary", response_model=SummaryPreview)
def summary_preview(barrio: OwnedBarrio, session: SessionDep, engine: EngineDep, base: Base = None,
                    salida: Salida = None) -> SummaryPreview:
    """What the vecinos would receive, in each language, and the version to approve."""
    found = barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida)
    return preview(found, barrio)


@router.post("/api/barrios/{barrio_id}/comparison/summary", response_model=SummarySent)
def summary_send(barrio: OwnedBarrio, session: SessionDep, engine: EngineDep, approved: Approved,
                 base: Base = None, salida: Salida = None) -> SummarySent:
    """Send the previewed summary (once the línea de salida is closed) to every vecino, in their language."""
    found = barrio_comparison(session, engine, barrio, base_id=base, salida_id=salida)
    return send(session, barrio, found, approved)


@router.get("/api/comparison", response_model=OrganisationComparison)
def organisation(ejecutor: CurrentEjecutor, session: SessionDep, engine: EngineDep, lang: Language = None,
                 min_cell: MinCell = DEFAULT_MIN_CELL) -> OrganisationComparison:
    """Across the caller's barrios: each one's latest línea base vs línea de salida, and all pooled."""
    return organisation_comparison(session, engine, ejecutor, language=lang, min_cell=min_cell)


@router.get("/api/comparison.csv", response_class=StreamingResponse)
def organisation_csv(ejecutor: CurrentEjecutor, session: SessionDep, engine: EngineDep, by: ActingStaff,
                     lang: Language = None, min_cell: MinCell = DEFAULT_MIN_CELL) -> StreamingResponse:
    """The organisation's comparison as one table, a barrio column first ("pooled" for all together)."""
    found = organisation_comparison(session, engine, ejecutor, language=lang, min_cell=min_cell)
    exported_all(session, ejecutor.id or 0, "comparison.csv", by)
    return csv_response("comparison.csv", ORGANISATION_HEADER,
                        organisation_table(found, barrio_names(session, ejecutor)))


@router.get("/api/comparison.xlsx", response_class=FileResponse)
def organisation_xlsx(ejecutor: CurrentEjecutor, session: SessionDep, engine: EngineDep, by: ActingStaff,
                      lang: Language = None, min_cell: MinCell = DEFAULT_MIN_CELL) -> FileResponse:
    """The same table as the CSV, as an Excel workbook."""
    found = organisation_comparison(session, engine, ejecutor, language=lang, min_cell=min_cell)
    exported_all(session, ejecutor.id or 0, "comparison.xlsx", by)
    return xlsx_response("comparison.xlsx", "comparacion", ORGANISATION_HEADER,
                         organisation_table(found, barrio_names(session, ejecutor)))
