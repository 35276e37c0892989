"""What certificates can be issued for, as the Documents screen offers it.

The groups of every season, not only the current one: last season's graduates get their
end of training certificates after the new season has begun. Each group says how many
people completed it and how many are still in it, so that the choice shows at once
whether a batch would hold anyone.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import Beneficiary, Enrolment, Group, Programme, Season
from app.services.context import where
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import EnrolmentStatus


@dataclass(frozen=True)
class CertificateGroup:
    """A group certificates may be issued for."""

    id: uuid.UUID
    name: str
    season_label: str
    programme_code: str
    #: People who completed the training (end of training certificates).
    completed: int
    #: People still enrolled (attendance certificates).
    active: int


def certificate_groups(uow: UnitOfWork) -> list[CertificateGroup]:
    """The centre's groups of every season, the newest season first, then by programme
    and name."""
    place = where(uow.session)
    rows = uow.session.execute(
        select(Group.id, Group.name, Season.label, Programme.code)
        .join(Season, Season.id == Group.season_id)
        .join(Programme, Programme.id == Group.programme_id)
        .where(Group.centre_id == place.centre.id, Group.cl % 2 == 1)
        .order_by(Season.start_date.desc(), Programme.code, Group.name, Group.id)
    ).all()
    counts: Counter[tuple[uuid.UUID, str]] = Counter()
    for group_id, status, count in uow.session.execute(
        select(Enrolment.group_id, Enrolment.status, func.count())
        .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
        .join(Group, Group.id == Enrolment.group_id)
        .where(
            Group.centre_id == place.centre.id,
            Enrolment.cl % 2 == 1,
            Beneficiary.cl % 2 == 1,
        )
        .group_by(Enrolment.group_id, Enrolment.status)
    ):
        counts[group_id, status] = count
    return [
        CertificateGroup(
            id=group_id,
            name=name,
            season_label=season,
            programme_code=code,
            completed=counts[group_id, EnrolmentStatus.COMPLETED.value],
            active=counts[group_id, EnrolmentStatus.ACTIVE.value],
        )
        for group_id, name, season, code in rows
    ]
