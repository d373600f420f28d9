"""The directory keeps the member it read for one chat event, and forgets it on any write."""

from sqlmodel import Session

from api.barrios.directory import SqlDirectory
from tests.factories import make_barrio, make_ejecutor


def test_a_member_read_once_is_seen_changed_after_each_write(session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    member_id = SqlDirectory(session, channel="telegram", chat_id="51").join(
        barrio_id=barrio.id or 0, role="vecino", locale="es")
    session.commit()
    known = SqlDirectory(session, channel="telegram", chat_id="51").member(member_id)
    assert known is not None and known.locale == "es" and known.barrio_name == barrio.name
    directory = SqlDirectory(session, channel="telegram", chat_id="51", known=known)
    assert directory.member(member_id) is known  # no second read in the same event
    directory.update_member(member_id, locale="en", subscribed=False)
    changed = directory.member(member_id)
    assert changed is not None and (changed.locale, changed.subscribed) == ("en", False)
    directory.update_member(member_id, subscribed=True)
    again = directory.member(member_id)
    assert again is not None and again.subscribed and again.reachable
    directory.delete_member(member_id)
    assert directory.member(member_id) is None
