"""Tabular downloads for ejecutores: CSV streamed row by row, XLSX written in constant memory.

Any feature can export a header and an iterable of rows with `csv_response` or
`xlsx_response`; nothing here knows about ballots or surveys.

An export holds a database connection and a CPU for as long as it runs, so only a few run at
once (`ExportGate`): a few per organisation and a few in all, counted for every process on the
database together (a lease row each, api/kernel/shared_limits.py); beyond that the caller gets
429 with Retry-After instead of exhausting the pool the chat needs.
Each export's slot is released when its rows are written (the CSV's last chunk, the
workbook closed), and its outcome and duration are counted in the app's metrics.
"""

import csv
import io
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence

import xlsxwriter
from fastapi import HTTPException, status
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import Engine
from starlette.background import BackgroundTask

from api.kernel import shared_limits
from api.kernel.metrics import Metrics
from api.kernel.types import utcnow

Cell = str | int | float | bool | None
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Cell]]]  # name, header, rows: a further sheet of a workbook
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


RETRY_AFTER_SECONDS = 10


class ExportSlot:
    """One export under way; `done()` frees it (once) and counts it."""

    def __init__(self, gate: "ExportGate", lease: int) -> None:
        self.gate, self.lease = gate, lease
        self.started = time.monotonic()
        self.handed_over = False  # to a response, which frees it when the rows are written
        self._done = False

    def done(self, outcome: str = "done") -> None:
        if self._done:
            return
        self._done = True
        self.gate.metrics.exports.labels(outcome).inc()
        self.gate.metrics.export_seconds.observe(time.monotonic() - self.started)
        shared_limits.end_lease(self.gate.engine, self.lease)


class ExportGate:
    """At most `per_owner` exports at once for one organisation and `total` in all, every process together."""

    def __init__(self, engine: Engine, *, per_owner: int, total: int, metrics: Metrics) -> None:
        self.engine, self.per_owner, self.total, self.metrics = engine, per_owner, total, metrics

    def enter(self, owner: int) -> ExportSlot:
        """A slot for `owner`'s export, or 429 with Retry-After when too many are running."""
        with self.engine.begin() as connection:
            lease = shared_limits.take_lease(connection, owner, utcnow(), per_owner=self.per_owner, total=self.total)
        if isinstance(lease, str):
            self.metrics.exports.labels("refused").inc()
            who = "your organisation" if lease == "owner" else "the server"
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"too many exports running at once for {who}; try again in a few seconds",
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return ExportSlot(self, lease)


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


def _counted(chunks: Iterator[str], slot: ExportSlot) -> Iterator[str]:
    """The CSV's chunks; the slot is freed after the last one, or when sending stops."""
    outcome = "failed"
    try:
        yield from chunks
        outcome = "done"
    finally:
        slot.done(outcome)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]],
                 slot: ExportSlot | None = None) -> StreamingResponse:
    chunks = csv_lines(header, rows)
    if slot is not None:
        slot.handed_over = True
        chunks = _counted(chunks, slot)
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers=_disposition(filename))


def xlsx_file(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], more: Sequence[Sheet] = ()) -> str:
    """A workbook written row by row (constant memory) to a temporary file; its path. `more`: sheets after the first.

    Text is never turned into formulas, numbers or links: a vecino's answer "=1+1" stays text.
    """
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = workbook.add_format({"bold": True})
        for name, columns, lines in ((sheet, header, rows), *more):
            worksheet = workbook.add_worksheet(name[:31])
            worksheet.write_row(0, 0, list(columns), bold)
            for number, row in enumerate(lines, start=1):
                worksheet.write_row(number, 0, ["" if cell is None else cell for cell in row])
    finally:
        workbook.close()
    return path


def xlsx_response(filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]],
                  slot: ExportSlot | None = None, more: Sequence[Sheet] = ()) -> FileResponse:
    """An .xlsx with one sheet (and `more`), deleted after sending. The slot is freed once it is written:
    sending a finished file holds no database connection."""
    try:
        path = xlsx_file(sheet, header, rows, more)
    except BaseException:
        if slot is not None:
            slot.done("failed")
        raise
    if slot is not None:
        slot.done()
    return FileResponse(path, media_type=XLSX_TYPE, filename=filename,
                        background=BackgroundTask(os.unlink, path))
