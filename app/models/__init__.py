"""Storage: the SQLAlchemy models of the register, its engine and its migrations.

Importing this package registers every table on ``Base.metadata``.
"""

from app.models.attendance import Attendance, Session
from app.models.base import Base, Synced, is_synced, synced_columns
from app.models.beneficiary import Beneficiary
from app.models.certificate import Certificate
from app.models.closure import Closure
from app.models.duplicate import DuplicateCandidate
from app.models.enrolment import Enrolment
from app.models.event import Event, EventParticipant
from app.models.followup import FollowUp
from app.models.group import Group
from app.models.keys import LocalKey, TrustedKey
from app.models.local import BeneficiarySearchToken, ChangeLog, Setting, Site
from app.models.organisation import Centre, PartnerAssociation, Staff
from app.models.programme import Programme, Season
from app.models.sync import SyncConflict, SyncCoverage, SyncExport, SyncImport, SyncPeerOrigin
from app.models.territory import TerritoryUnit

SYNCED_MODELS: tuple[type[Synced], ...] = (
    TerritoryUnit,
    PartnerAssociation,
    Centre,
    Staff,
    Programme,
    Season,
    Group,
    Beneficiary,
    Enrolment,
    Session,
    Attendance,
    FollowUp,
    Event,
    EventParticipant,
    Certificate,
    DuplicateCandidate,
    Closure,
)
MODEL_BY_TABLE: dict[str, type[Synced]] = {m.__tablename__: m for m in SYNCED_MODELS}

__all__ = [
    "MODEL_BY_TABLE",
    "SYNCED_MODELS",
    "Attendance",
    "Base",
    "Beneficiary",
    "BeneficiarySearchToken",
    "Centre",
    "Certificate",
    "ChangeLog",
    "Closure",
    "DuplicateCandidate",
    "Enrolment",
    "Event",
    "EventParticipant",
    "FollowUp",
    "Group",
    "LocalKey",
    "PartnerAssociation",
    "Programme",
    "Season",
    "Session",
    "Setting",
    "Site",
    "Staff",
    "SyncConflict",
    "SyncCoverage",
    "SyncExport",
    "SyncImport",
    "SyncPeerOrigin",
    "Synced",
    "TerritoryUnit",
    "TrustedKey",
    "is_synced",
    "synced_columns",
]
