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


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """CSV text one line at a time (UTF-8 with BOM first, so Excel reads accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in _chain(header, rows):
        writer.writerow(["" if cell is None else cell for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[Sequence[Cell]]:
    yield header
    yield from rows


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> StreamingResponse:
    return StreamingResponse(csv_lines(header, rows), media_type="text/csv; charset=utf-8",
                             headers=_disposition(filename))


def xlsx_response(filename: str, sheet: str, header: Sequence[str],
                  rows: Iterable[Sequence[Cell]]) -> FileResponse:
    """An .xlsx with one sheet, written row by row to a temporary file (deleted after sending)."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "in_memory": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, list(header), bold)
    for number, row in enumerate(rows, start=1):
        worksheet.write_row(number, 0, ["" if cell is None else cell for cell in row])
    workbook.close()
    return FileResponse(path, media_type=XLSX_TYPE, filename=filename,
                        background=BackgroundTask(os.unlink, path))
