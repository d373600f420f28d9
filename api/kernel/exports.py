"""Tabular downloads for ejecutores: CSV streamed row by row, XLSX written in constant memory.

Any feature can export a header and an iterable of rows with `csv_response` or
`xlsx_response`; nothing here knows about ballots or surveys.
"""

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence

import xlsxwriter
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

Cell = str | int | float | bool | None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _disposition(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


# A spreadsheet opening the CSV would run such text (OWASP's list: tab and carriage return too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell: Cell) -> Cell:
    """Text that a spreadsheet would take for a formula is kept as text with a leading '."""
    if cell is None:
        return ""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


CSV_CHUNK = 500  # rows per chunk sent: few enough syscalls, memory still flat


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """CSV text in chunks of rows (UTF-8 with a BOM first, so Excel reads accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(cell) for cell in header])  # headers hold survey names and labels
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(cell) for cell in row])
        if number % CSV_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> StreamingResponse:
    return StreamingResponse(csv_lines(header, rows), media_type="text/csv; charset=utf-8",
                             headers=_disposition(filename))


def xlsx_file(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A one-sheet workbook written row by row (constant memory) to a temporary file; its path.

    Text is never turned into formulas, numbers or links: a vecino's answer "=1+1" stays text.
    """
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    try:
        worksheet = workbook.add_worksheet(sheet[:31])
        worksheet.write_row(0, 0, list(header), workbook.add_format({"bold": True}))
        for number, row in enumerate(rows, start=1):
            worksheet.write_row(number, 0, ["" if cell is None else cell for cell in row])
    finally:
        workbook.close()
    return path


def xlsx_response(filename: str, sheet: str, header: Sequence[str],
                  rows: Iterable[Sequence[Cell]]) -> FileResponse:
    """An .xlsx with one sheet, deleted after sending."""
    path = xlsx_file(sheet, header, rows)
    return FileResponse(path, media_type=XLSX_TYPE, filename=filename,
                        background=BackgroundTask(os.unlink, path))
