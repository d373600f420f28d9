"""The vecino's data download ("Descargar mis datos", Ley 21.719 portability): two files.

`mis-datos.json` is for machines (stable keys, stored codes, ISO times); `mis-datos.csv` is
for people (opens in any spreadsheet app, headings and values in their language, dates in
their barrio's time zone). Both hold the same things: the member's own row, then every
kind of record each feature declared (api/kernel/feature.py, PersonalData.export).
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from conversations.kernel.i18n import LANGUAGE_NAMES, Translator
from conversations.kernel.members import MemberView, Record
from conversations.kernel.replies import Document

JSON_NAME, CSV_NAME = "mis-datos.json", "mis-datos.csv"


def section(t: Translator, kind: str) -> str:
    """A kind of record as a heading; a kind without wording shows its own name."""
    names = {
        "answers": t._("Respuestas a encuestas"),
        "photos": t._("Fotos enviadas en encuestas"),
        "votes": t._("Votos"),
        "rsvps": t._("Respuestas a convocatorias"),
        "follows": t._("Iniciativas que sigues"),
        "ideas": t._("Ideas de iniciativas que propusiste"),
    }
    return names.get(kind, kind)


def files(t: Translator, member: MemberView, records: Mapping[str, Sequence[Record]], now: datetime) -> list[Document]:
    return [Document(JSON_NAME, as_json(member, records, now)), Document(CSV_NAME, as_csv(t, member, records))]


def as_json(member: MemberView, records: Mapping[str, Sequence[Record]], now: datetime) -> bytes:
    data = {
        "generated_at": now.isoformat(),
        "member": {
            "id": member.id, "barrio": member.barrio_name, "language": member.locale, "role": str(member.role),
            "joined_at": member.joined_at.isoformat(), "receives_messages": member.subscribed,
            "answers_withheld": member.withheld,
            "display_name": member.display_name if member.share_name else None,
        },
        "records": {kind: [_json_record(r) for r in items] for kind, items in records.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _json_record(record: Record) -> dict[str, Any]:
    return {"topic": record.topic, "item": record.item, "value": record.value, "code": record.code,
            "at": record.at.isoformat() if record.at else None}


def as_csv(t: Translator, member: MemberView, records: Mapping[str, Sequence[Record]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t._("Sección"), t._("Tema"), t._("Dato"), t._("Valor"), t._("Fecha")])
    me = t._("Tus datos")
    yes, no = t._("sí"), t._("no")
    writer.writerows([
        [me, "", t._("Código anónimo"), member.id, ""],
        [me, "", t._("Barrio"), member.barrio_name, ""],
        [me, "", t._("Idioma"), LANGUAGE_NAMES.get(member.locale, member.locale), ""],
        [me, "", t._("Te uniste"), "", t.datetime(member.joined_at)],
        [me, "", t._("Recibes avisos del barrio"), yes if member.subscribed else no, ""],
        [me, "", t._("Tus respuestas no se usan en resultados"), yes if member.withheld else no, ""],
    ])
    if member.share_name and member.display_name:
        writer.writerow([me, "", t._("Nombre que aceptaste mostrar"), member.display_name, ""])
    for kind, items in records.items():
        for record in items:
            writer.writerow([section(t, kind), record.topic, record.item, record.value,
                             t.datetime(record.at) if record.at else ""])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes spreadsheet apps read the accents right
