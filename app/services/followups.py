"""Follow-up after training (التتبع بعد التكوين): what became of each graduate.

A graduate is a beneficiary with a completed enrolment, in any season. Delegations ask
centres how many found a job, joined a cooperative, opened a small business or went on
training, and the coordinator needs to know whom she has not heard of for a while: the
"no news for six months" list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.i18n import _
from app.models import Beneficiary, Enrolment, FollowUp, Group, Programme, Season
from app.services import validation
from app.services.calendar import months_before
from app.services.context import resolve_beneficiary, where
from app.services.records import from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import EnrolmentStatus, FollowUpOutcome

NO_NEWS_MONTHS = 6
DETAILS_LIMIT = 2000


@dataclass(frozen=True)
class FollowUpRecord:
    id: uuid.UUID
    beneficiary_id: uuid.UUID
    enrolment_id: uuid.UUID | None
    date: dt.date
    outcome: str
    organisation: str | None
    details: str | None


@dataclass(frozen=True)
class GraduateRecord:
    """A person who completed a training, her latest training and the latest news of her."""

    beneficiary_id: uuid.UUID
    family_name_ar: str
    given_name_ar: str
    family_name_latin: str | None
    given_name_latin: str | None
    cin: str | None
    phone: str | None
    #: Her most recently completed enrolment.
    enrolment_id: uuid.UUID
    programme_code: str
    programme_name_ar: str
    programme_name_fr: str
    group_name: str
    season_label: str
    end_date: dt.date
    mention: str | None
    #: How many trainings she completed, this one included.
    trainings: int
    #: Her latest follow-up, if any: what she was doing, where, since when.
    last_outcome: str | None
    last_date: dt.date | None
    last_organisation: str | None
    #: The last time the centre heard of her: her latest follow-up or the end of her
    #: latest training, whichever is later.
    news_date: dt.date
    #: No news for more than six months before the day the list was made.
    no_news: bool

    @property
    def full_name_ar(self) -> str:
        return f"{self.given_name_ar} {self.family_name_ar}"

    @property
    def full_name_latin(self) -> str:
        return " ".join(p for p in (self.given_name_latin, self.family_name_latin) if p)


def no_news_since(today: dt.date) -> dt.date:
    """News older than this day is too old: six months before ``today``."""
    return months_before(today, NO_NEWS_MONTHS)


def _completed(uow: UnitOfWork, beneficiary_id: uuid.UUID) -> list[Enrolment]:
    return list(
        uow.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.beneficiary_id == beneficiary_id,
                Enrolment.status == EnrolmentStatus.COMPLETED.value,
                Enrolment.cl % 2 == 1,
            )
            .order_by(Enrolment.end_date)
        )
    )


def record_follow_up(
    uow: UnitOfWork,
    *,
    beneficiary: str,
    outcome: str,
    date: str | dt.date | None,
    organisation: str | None = None,
    details: str | None = None,
    today: dt.date,
) -> FollowUpRecord:
    """Record what became of a graduate, on a day between the end of her training and
    today; it is tied to the latest training she had completed by then."""
    place = where(uow.session)
    checks = validation.Checks()
    person = checks.check(
        "beneficiary",
        lambda _field, ref: resolve_beneficiary(uow.session, ref, place=place),
        beneficiary,
    )
    code = checks.check("outcome", validation.code, outcome, FollowUpOutcome)
    day = checks.check("date", validation.parse_date, date)
    if day is not None:
        checks.check("date", validation.not_future, day, today=today)
    checks.check("organisation", validation.text, organisation, limit=200)
    checks.check("details", validation.text, details, limit=DETAILS_LIMIT)
    enrolment = None
    if person is not None:
        completed = _completed(uow, person.id)
        name = f"{person.given_name_ar} {person.family_name_ar}"
        if not completed:
            checks.fail(
                "beneficiary",
                _("{name} has not completed a training: follow-up is for graduates.").format(
                    name=name
                ),
            )
        elif day is not None:
            before = [e for e in completed if e.end_date is not None and e.end_date <= day]
            if before:
                enrolment = before[-1]
            else:
                checks.fail(
                    "date",
                    _("This date is before the end of the training ({end}).").format(
                        end=completed[0].end_date.isoformat()
                    ),
                )
    values = checks.done()
    row = uow.add(
        FollowUp(
            beneficiary_id=person.id,
            enrolment_id=enrolment.id if enrolment is not None else None,
            date=values["date"],
            outcome=code,
            organisation=values["organisation"],
            details=values["details"],
        )
    )
    uow.session.flush()
    return from_row(FollowUpRecord, row)


def list_follow_ups(uow: UnitOfWork, *, beneficiary: str) -> list[FollowUpRecord]:
    """A person's follow-ups, the newest first."""
    person = resolve_beneficiary(uow.session, beneficiary, place=where(uow.session))
    rows = uow.session.scalars(
        select(FollowUp)
        .where(FollowUp.beneficiary_id == person.id, FollowUp.cl % 2 == 1)
        .order_by(FollowUp.date.desc(), FollowUp.id.desc())
    )
    return [from_row(FollowUpRecord, row) for row in rows]


def list_graduates(uow: UnitOfWork, *, today: dt.date) -> list[GraduateRecord]:
    """Everyone of the centre who completed a training, in any season, once each, with
    her latest training and latest follow-up; the longest without news first."""
    place = where(uow.session)
    rows = uow.session.execute(
        select(Enrolment, Beneficiary, Group, Programme, Season)
        .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
        .join(Group, Group.id == Enrolment.group_id)
        .join(Programme, Programme.id == Group.programme_id)
        .join(Season, Season.id == Group.season_id)
        .where(
            Enrolment.status == EnrolmentStatus.COMPLETED.value,
            Enrolment.end_date.is_not(None),
            Enrolment.cl % 2 == 1,
            Beneficiary.centre_id == place.centre.id,
            Beneficiary.cl % 2 == 1,
            Group.cl % 2 == 1,
        )
        .order_by(Enrolment.end_date, Enrolment.id)
    ).all()
    latest: dict[uuid.UUID, tuple] = {}
    trainings: dict[uuid.UUID, int] = {}
    for row in rows:
        person_id = row[1].id
        latest[person_id] = tuple(row)  # ordered by end date: the last one wins
        trainings[person_id] = trainings.get(person_id, 0) + 1

    news: dict[uuid.UUID, FollowUp] = {}
    follow_ups = uow.session.scalars(
        select(FollowUp)
        .join(Beneficiary, Beneficiary.id == FollowUp.beneficiary_id)
        .where(
            FollowUp.cl % 2 == 1,
            Beneficiary.centre_id == place.centre.id,
            Beneficiary.cl % 2 == 1,
        )
        .order_by(FollowUp.date, FollowUp.id)
    )
    for follow_up in follow_ups:
        news[follow_up.beneficiary_id] = follow_up  # ordered by date: the last one wins

    too_old = no_news_since(today)
    graduates = []
    for person_id, (enrolment, person, group, programme, season) in latest.items():
        last = news.get(person_id)
        heard = max(enrolment.end_date, last.date) if last is not None else enrolment.end_date
        graduates.append(
            from_row(
                GraduateRecord,
                person,
                beneficiary_id=person.id,
                enrolment_id=enrolment.id,
                programme_code=programme.code,
                programme_name_ar=programme.name_ar,
                programme_name_fr=programme.name_fr,
                group_name=group.name,
                season_label=season.label,
                end_date=enrolment.end_date,
                mention=enrolment.mention,
                trainings=trainings[person_id],
                last_outcome=last.outcome if last is not None else None,
                last_date=last.date if last is not None else None,
                last_organisation=last.organisation if last is not None else None,
                news_date=heard,
                no_news=heard < too_old,
            )
        )
    graduates.sort(key=lambda g: (g.news_date, g.family_name_ar, g.given_name_ar))
    return graduates


def graduates_without_news(uow: UnitOfWork, *, today: dt.date) -> list[GraduateRecord]:
    """Graduates not heard of for more than six months: their latest follow-up (or, with
    none, the end of their latest training) is older than six months before ``today``."""
    return [g for g in list_graduates(uow, today=today) if g.no_news]
