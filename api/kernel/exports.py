"""Tabular downloads for ejecutores: CSV streamed row by row, XLSX written in constant memory.

Any feature can export a header and an iterable of rows with `csv_response` or
`xlsx_response` (one sheet), several `Sheet`s with `workbook_response`, or several tables as
CSV files in one ZIP with `zip_response` (each `Sheet`'s name is its file's); nothing here
knows about ballots or surveys. Cells are typed: numbers stay numbers, and dates, times
and date-times are real Excel dates with a format (in a CSV, ISO text). Every sheet has
its header row frozen and columns as wide as their header.

Two CSV dialects (`CsvDialect`): `STANDARD` (the default: `,` between fields, `.` in
decimals) and `EXCEL_CL` (`;` between fields, decimal commas: what Excel set up for Chile
splits and reads as numbers). Both are UTF-8 with a byte-order mark.

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
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock

import xlsxwriter
from fastapi import HTTPException, status
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import Engine
from starlette.background import BackgroundTask
from xlsxwriter.worksheet import Worksheet

from api.kernel import shared_limits
from api.kernel.metrics import Metrics
from api.kernel.types import utcnow

Cell = str | int | float | bool | date | clock | None  # a datetime is a date
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


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV separates fields and writes decimals."""

    name: str
    delimiter: str
    decimal: str


STANDARD = CsvDialect("standard", ",", ".")
EXCEL_CL = CsvDialect("excel-cl", ";", ",")
DIALECTS = {dialect.name: dialect for dialect in (STANDARD, EXCEL_CL)}


def _csv_cell(cell: Cell, dialect: CsvDialect = STANDARD) -> Cell:
    """A cell as CSV text: dates in ISO, decimals with the dialect's mark; text that a spreadsheet
    would take for a formula is kept as text with a leading '."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(cell, date | clock):
        return cell.isoformat(timespec="minutes") if isinstance(cell, clock) else cell.isoformat()
    if isinstance(cell, float) and dialect.decimal != ".":
        return repr(cell).replace(".", dialect.decimal)
    return cell


CSV_CHUNK = 500  # rows per chunk sent: few enough syscalls, memory still flat


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]], dialect: CsvDialect = STANDARD) -> Iterator[str]:
    """CSV text in chunks of rows (UTF-8 with a BOM first, so Excel reads accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter)
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(cell) for cell in header])  # headers hold survey names and labels
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(cell, dialect) for cell in row])
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
                 slot: ExportSlot | None = None, dialect: CsvDialect = STANDARD) -> StreamingResponse:
    chunks = csv_lines(header, rows, dialect)
    if slot is not None:
        slot.handed_over = True
        chunks = _counted(chunks, slot)
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers=_disposition(filename))


@dataclass
class Sheet:
    """One sheet of a workbook: its name (at most 31 characters kept), header and rows."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


MIN_WIDTH, MAX_WIDTH = 10, 50  # characters
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "time": "hh:mm"}


class _Writer:
    """Writes typed cells: a date, time or date-time with its number format, anything else as it is."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.formats = {kind: workbook.add_format({"num_format": shown}) for kind, shown in FORMATS.items()}
        self.bold = workbook.add_format({"bold": True})

    def sheet(self, worksheet: Worksheet, sheet: Sheet) -> None:
        header = list(sheet.header)
        for column, title in enumerate(header):
            worksheet.set_column(column, column, min(MAX_WIDTH, max(MIN_WIDTH, len(str(title)) + 2)))
        worksheet.freeze_panes(1, 0)
        worksheet.write_row(0, 0, header, self.bold)
        for number, row in enumerate(sheet.rows, start=1):
            for column, cell in enumerate(row):
                self.cell(worksheet, number, column, cell)

    def cell(self, worksheet: Worksheet, row: int, column: int, cell: Cell) -> None:
        if cell is None or cell == "":
            return
        if isinstance(cell, datetime):
            worksheet.write_datetime(row, column, cell, self.formats["datetime"])
        elif isinstance(cell, date):
            worksheet.write_datetime(row, column, cell, self.formats["date"])
        elif isinstance(cell, clock):
            worksheet.write_datetime(row, column, cell, self.formats["time"])
        else:
            worksheet.write(row, column, cell)


def workbook_file(sheets: Sequence[Sheet], active: int = 0) -> str:
    """A workbook written sheet by sheet, row by row (constant memory) to a temporary file; its path.

    `active` is the sheet shown on opening. Text is never turned into formulas, numbers or
    links: a vecino's answer "=1+1" stays text.
    """
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    try:
        writer = _Writer(workbook)
        for number, sheet in enumerate(sheets):
            worksheet = workbook.add_worksheet(sheet.name[:31])
            if number == active:
                worksheet.activate()
            writer.sheet(worksheet, sheet)
    finally:
        workbook.close()
    return path


def xlsx_file(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A one-sheet workbook; its path."""
    return workbook_file([Sheet(sheet, header, rows)])


def _finished(write: Callable[[], str], slot: ExportSlot | None) -> str:
    """The path of the file `write` makes; the slot is freed once it is written (sending a finished file
    holds no database connection), counted as failed if writing fails."""
    try:
        path = write()
    except BaseException:
        if slot is not None:
            slot.done("failed")
        raise
    if slot is not None:
        slot.done()
    return path


def workbook_response(filename: str, sheets: Sequence[Sheet], slot: ExportSlot | None = None,
                      active: int = 0) -> FileResponse:
    """An .xlsx of these sheets, deleted after sending."""
    path = _finished(lambda: workbook_file(sheets, active), slot)
    return FileResponse(path, media_type=XLSX_TYPE, filename=filename,
                        background=BackgroundTask(os.unlink, path))


def file_response(filename: str, media_type: str, write: Callable[[], str],
                  slot: ExportSlot | None = None) -> FileResponse:
    """The file `write` makes (its temporary path), deleted after sending; the slot is freed once it is written."""
    path = _finished(write, slot)
    return FileResponse(path, media_type=media_type, filename=filename, background=BackgroundTask(os.unlink, path))


def zip_file(tables: Sequence[Sheet], dialect: CsvDialect = STANDARD) -> str:
    """A ZIP holding one CSV per table (named by the `Sheet`'s name), each written chunk by chunk; its path."""
    handle, path = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                with archive.open(table.name, "w") as member:
                    for chunk in csv_lines(table.header, table.rows, dialect):
                        member.write(chunk.encode("utf-8"))
    except BaseException:
        os.unlink(path)
        raise
    return path


def zip_response(filename: str, tables: Sequence[Sheet], slot: ExportSlot | None = None,
                 dialect: CsvDialect = STANDARD) -> FileResponse:
    """A .zip of these tables as CSV files (UTF-8 with a BOM, in `dialect`), deleted after sending."""
    path = _finished(lambda: zip_file(tables, dialect), slot)
    return FileResponse(path, media_type="application/zip", filename=filename,
                        background=BackgroundTask(os.unlink, path))


def xlsx_response(filename: str, sheet: str, header: Sequence[str],
                  rows: Iterable[Sequence[Cell]], slot: ExportSlot | None = None) -> FileResponse:
    """An .xlsx with one sheet."""
    return workbook_response(filename, [Sheet(sheet, header, rows)], slot)
