"""Events of the centre (seminars, awareness days, workshops, celebrations) and the people
who took part in them: beneficiaries of the centre, and guests such as speakers.

A beneficiary appears at most once per event: the row's id is the UUIDv5 of (event,
person), so adding her twice, or on two laptops before a sync, makes one row. Guests have
no such identity (two speakers may share a name) and get a fresh id each.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.i18n import _
from app.models import Beneficiary, Event, EventParticipant
from app.models.ids import natural_id
from app.services import validation
from app.services.context import (
    Where,
    by_id_or_prefix,
    one_match,
    resolve_beneficiaries,
    where,
)
from app.services.errors import InputRejected
from app.services.records import from_row
from app.services.text import has_arabic, has_latin
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import EventKind, ParticipantRole

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 2000


@dataclass(frozen=True)
class EventInput:
    """What a person typed in the event form (or on the command line), before any check."""

    kind: str | None = None
    title_ar: str | None = None
    title_fr: str | None = None
    date: str | dt.date | None = None
    place: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class EventRecord:
    id: uuid.UUID
    kind: str
    title_ar: str
    title_fr: str | None
    date: dt.date
    place: str | None
    description: str | None
    #: People there to listen or learn (role "participant").
    participants: int
    #: Speakers and organisers.
    speakers: int


@dataclass(frozen=True)
class ParticipantRecord:
    """One person at an event: a beneficiary of the centre, or a guest named by hand."""

    id: uuid.UUID
    event_id: uuid.UUID
    beneficiary_id: uuid.UUID | None
    #: The beneficiary's Arabic name, or the guest's name as typed.
    name: str
    name_latin: str | None
    cin: str | None
    role: str
    organisation: str | None

    @property
    def is_guest(self) -> bool:
        return self.beneficiary_id is None


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _title_ar(field: str, value: str | None) -> str:
    text = validation.text(field, value, limit=TITLE_LIMIT)
    if not text:
        raise validation.reject(field, _("Give the title of the event in Arabic."))
    # A Latin acronym inside an Arabic title is common (ANAPEC, INDH); a title with no
    # Arabic at all is a French title typed in the wrong box.
    if not has_arabic(text):
        raise validation.reject(field, _("Write this title in Arabic letters."))
    return text


def _title_fr(field: str, value: str | None) -> str | None:
    text = validation.text(field, value, limit=TITLE_LIMIT)
    if text and (has_arabic(text) or not has_latin(text)):
        raise validation.reject(field, _("Write the French title in Latin letters."))
    return text


def _event_date(field: str, value: str | dt.date | None, *, today: dt.date) -> dt.date:
    day = validation.parse_date(field, value)
    assert day is not None
    if day > _one_year_after(today):
        raise validation.reject(field, _("This date is more than a year ahead."))
    return day


def clean(data: EventInput, *, today: dt.date) -> dict[str, object]:
    """Check every field; the stored values, or InputRejected naming every refused field."""
    checks = validation.Checks()
    checks.check("kind", validation.code, data.kind, EventKind)
    checks.check("title_ar", _title_ar, data.title_ar)
    checks.check("title_fr", _title_fr, data.title_fr)
    checks.check("date", _event_date, data.date, today=today)
    checks.check("place", validation.text, data.place, limit=TITLE_LIMIT)
    checks.check("description", validation.text, data.description, limit=DESCRIPTION_LIMIT)
    return checks.done()


def _counts(uow: UnitOfWork, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    """(participants, speakers and organisers) of each event, beneficiaries removed from
    the register left out as in :func:`list_participants`."""
    listening = EventParticipant.role == ParticipantRole.PARTICIPANT.value
    rows = uow.session.execute(
        select(
            EventParticipant.event_id,
            func.sum(case((listening, 1), else_=0)),
            func.sum(case((listening, 0), else_=1)),
        )
        .outerjoin(Beneficiary, Beneficiary.id == EventParticipant.beneficiary_id)
        .where(
            EventParticipant.event_id.in_(event_ids),
            EventParticipant.cl % 2 == 1,
            (EventParticipant.beneficiary_id.is_(None)) | (Beneficiary.cl % 2 == 1),
        )
        .group_by(EventParticipant.event_id)
    ).all()
    return {event_id: (int(people), int(speakers)) for event_id, people, speakers in rows}


def _record(uow: UnitOfWork, row: Event) -> EventRecord:
    people, speakers = _counts(uow, [row.id]).get(row.id, (0, 0))
    return from_row(EventRecord, row, participants=people, speakers=speakers)


def resolve_event(uow: UnitOfWork, ref: str | uuid.UUID, *, place: Where) -> Event:
    """The centre's living event whose id is ``ref`` or starts with it."""
    text = str(ref)
    rows = [
        row for row in by_id_or_prefix(uow.session, Event, text) if row.centre_id == place.centre.id
    ]
    return one_match(rows, "event", text)


def create_event(uow: UnitOfWork, data: EventInput, *, today: dt.date) -> EventRecord:
    """Record an event of the centre."""
    place = where(uow.session)
    values = clean(data, today=today)
    row = uow.add(Event(centre_id=place.centre.id, **values))
    uow.session.flush()
    return _record(uow, row)


def update_event(
    uow: UnitOfWork, event_id: uuid.UUID, *, data: EventInput, today: dt.date
) -> EventRecord:
    """Correct an event; only the fields that differ are logged."""
    row = resolve_event(uow, event_id, place=where(uow.session))
    values = clean(data, today=today)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    uow.session.flush()
    return _record(uow, row)


def remove_event(uow: UnitOfWork, event_id: uuid.UUID) -> None:
    """Delete an event (a tombstone). Its participant rows are left as they are: hidden
    with the event, and whole again should the event be restored."""
    uow.delete(resolve_event(uow, event_id, place=where(uow.session)))
    uow.session.flush()


def get_event(uow: UnitOfWork, ref: str | uuid.UUID) -> EventRecord:
    return _record(uow, resolve_event(uow, ref, place=where(uow.session)))


def input_from_record(record: EventRecord) -> EventInput:
    """The form values that would store ``record`` unchanged (for the correction form)."""
    return EventInput(
        kind=record.kind,
        title_ar=record.title_ar,
        title_fr=record.title_fr,
        date=record.date,
        place=record.place,
        description=record.description,
    )


def list_events(uow: UnitOfWork) -> list[EventRecord]:
    """The centre's events, the newest first."""
    place = where(uow.session)
    rows = uow.session.scalars(
        select(Event)
        .where(Event.centre_id == place.centre.id, Event.cl % 2 == 1)
        .order_by(Event.date.desc(), Event.id.desc())
    ).all()
    counts = _counts(uow, [row.id for row in rows])
    return [
        from_row(
            EventRecord,
            row,
            participants=counts.get(row.id, (0, 0))[0],
            speakers=counts.get(row.id, (0, 0))[1],
        )
        for row in rows
    ]


# -- people at an event --------------------------------------------------------------


def _participant(row: EventParticipant, person: Beneficiary | None) -> ParticipantRecord:
    if person is None:
        name, latin, cin = row.guest_name or "", None, None
    else:
        name = f"{person.given_name_ar} {person.family_name_ar}"
        latin = " ".join(p for p in (person.given_name_latin, person.family_name_latin) if p)
        cin = person.cin
    return ParticipantRecord(
        id=row.id,
        event_id=row.event_id,
        beneficiary_id=row.beneficiary_id,
        name=name,
        name_latin=latin or None,
        cin=cin,
        role=row.role,
        organisation=row.organisation,
    )


def add_participants(
    uow: UnitOfWork, *, event: str | uuid.UUID, beneficiaries: list[str]
) -> list[ParticipantRecord]:
    """Add beneficiaries of the centre to an event as participants, all or none. Someone
    already there stays as she is (one row per person and event)."""
    place = where(uow.session)
    event_row = resolve_event(uow, event, place=place)
    added: list[ParticipantRecord] = []
    people, errors = resolve_beneficiaries(uow.session, beneficiaries, place=place)
    for person in people:
        row_id = natural_id("event_participant", event_row.id, person.id)
        row = uow.session.get(EventParticipant, row_id)
        if row is None:
            row = uow.add(
                EventParticipant(
                    id=row_id,
                    event_id=event_row.id,
                    beneficiary_id=person.id,
                    role=ParticipantRole.PARTICIPANT.value,
                )
            )
        elif not row.alive:
            # Taken off the list by mistake, then added again: the same row comes back.
            uow.restore(row)
        added.append(_participant(row, person))
    if errors:
        raise InputRejected(errors)
    uow.session.flush()
    return added


def add_guest(
    uow: UnitOfWork,
    *,
    event: str | uuid.UUID,
    name: str,
    organisation: str | None = None,
    role: str = ParticipantRole.PARTICIPANT.value,
) -> ParticipantRecord:
    """Add someone who is not a beneficiary (a speaker, a partner, an official)."""
    place = where(uow.session)
    checks = validation.Checks()
    event_row = checks.check(
        "event", lambda _field, ref: resolve_event(uow, ref, place=place), event
    )
    guest = checks.check("name", validation.text, name, required=True, limit=TITLE_LIMIT)
    where_from = checks.check("organisation", validation.text, organisation, limit=TITLE_LIMIT)
    role_code = checks.check("role", validation.code, role, ParticipantRole)
    checks.done()
    row = uow.add(
        EventParticipant(
            event_id=event_row.id, guest_name=guest, organisation=where_from, role=role_code
        )
    )
    uow.session.flush()
    return _participant(row, None)


def remove_participant(uow: UnitOfWork, participant_id: uuid.UUID) -> None:
    """Take a person off an event's list (a tombstone)."""
    place = where(uow.session)
    row = uow.session.get(EventParticipant, participant_id)
    event_row = uow.session.get(Event, row.event_id) if row is not None else None
    if row is None or not row.alive or event_row is None or event_row.centre_id != place.centre.id:
        raise validation.reject(
            "participant", _("This person is no longer on the list of the event.")
        )
    uow.delete(row)
    uow.session.flush()


def list_participants(uow: UnitOfWork, *, event: str | uuid.UUID) -> list[ParticipantRecord]:
    """Who was at an event: speakers and organisers first, then participants; guests
    before beneficiaries within each, by name. People since removed from the register are
    left out."""
    event_row = resolve_event(uow, event, place=where(uow.session))
    role_order = case(
        (EventParticipant.role == ParticipantRole.SPEAKER.value, 0),
        (EventParticipant.role == ParticipantRole.ORGANISER.value, 1),
        else_=2,
    )
    rows = uow.session.execute(
        select(EventParticipant, Beneficiary)
        .outerjoin(Beneficiary, Beneficiary.id == EventParticipant.beneficiary_id)
        .where(
            EventParticipant.event_id == event_row.id,
            EventParticipant.cl % 2 == 1,
            (EventParticipant.beneficiary_id.is_(None)) | (Beneficiary.cl % 2 == 1),
        )
        .order_by(
            role_order,
            EventParticipant.beneficiary_id.is_not(None),
            EventParticipant.guest_name,
            Beneficiary.sort_key,
            EventParticipant.id,
        )
    ).all()
    return [_participant(row, person) for row, person in rows]
