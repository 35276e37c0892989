"""What this replica is: its site id, how many changes it has made, where its file lives."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.models import ChangeLog, Site
from app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SiteStatus:
    site_id: str
    kind: str
    changes_made: int
    changes_held: int
    location: str


def site_status(uow: UnitOfWork) -> SiteStatus:
    site = uow.session.get(Site, uow.register.site_id)
    assert site is not None
    held = uow.session.scalar(select(func.count()).select_from(ChangeLog)) or 0
    return SiteStatus(
        site_id=site.site_id,
        kind=site.kind,
        changes_made=site.last_seq,
        changes_held=held,
        location=uow.register.engine.url.render_as_string(hide_password=True),
    )
