"""The plain, frozen records services return: what screens, documents and the CLI see.

No ORM object leaves the services; a record is a snapshot, safe to hand to another
thread or to print as JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from app.services.canonical import encode_value

R = TypeVar("R")


def from_row(cls: type[R], row: Any, **extra: Any) -> R:
    """Build record ``cls`` from an ORM row's attributes of the same names."""
    names = [f.name for f in dataclasses.fields(cls) if f.name not in extra]  # type: ignore[arg-type]
    return cls(**{n: getattr(row, n) for n in names}, **extra)


def _json_value(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_json(value)
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return encode_value(value)


def as_json(record: Any) -> dict[str, Any]:
    """A record as a JSON-ready dict (UUIDs and dates as strings, tuples as lists, nested
    records as dicts)."""
    return {f.name: _json_value(getattr(record, f.name)) for f in dataclasses.fields(record)}


@dataclass(frozen=True)
class CentreRecord:
    id: uuid.UUID
    code: str
    name_ar: str
    name_fr: str | None
    kind: str
    province_code: str
    management_mode: str


@dataclass(frozen=True)
class SeasonRecord:
    id: uuid.UUID
    label: str
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class ProgrammeRecord:
    id: uuid.UUID
    code: str
    name_ar: str
    name_fr: str
    centre_kind: str
    planned_hours: int | None
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class StaffRecord:
    id: uuid.UUID
    family_name_ar: str
    given_name_ar: str
    family_name_latin: str | None
    given_name_latin: str | None
    role: str


@dataclass(frozen=True)
class BeneficiaryRecord:
    id: uuid.UUID
    centre_id: uuid.UUID
    family_name_ar: str
    given_name_ar: str
    family_name_latin: str | None
    given_name_latin: str | None
    sex: str
    birth_date: dt.date
    cin: str | None
    phone: str | None
    address: str | None
    commune_code: str | None
    area: str | None
    marital_status: str | None
    education_level: str | None
    disability: str | None
    rsu_number: str | None
    guardian_name: str | None
    guardian_cin: str | None
    guardian_phone: str | None
    consent_date: dt.date | None
    notes: str | None

    @property
    def full_name_ar(self) -> str:
        return f"{self.given_name_ar} {self.family_name_ar}"

    @property
    def full_name_latin(self) -> str:
        return " ".join(p for p in (self.given_name_latin, self.family_name_latin) if p)


@dataclass(frozen=True)
class GroupRecord:
    id: uuid.UUID
    name: str
    programme_id: uuid.UUID
    programme_code: str
    programme_name_ar: str
    programme_name_fr: str
    season_id: uuid.UUID
    season_label: str
    days: tuple[str, ...]
    start_time: str | None
    end_time: str | None
    capacity: int | None
    educator_id: uuid.UUID | None
    enrolled: int


@dataclass(frozen=True)
class EnrolmentRecord:
    id: uuid.UUID
    group_id: uuid.UUID
    beneficiary_id: uuid.UUID
    start_date: dt.date
    status: str
    end_date: dt.date | None
    reason: str | None
    mention: str | None


@dataclass(frozen=True)
class AttendanceRecord:
    id: uuid.UUID
    session_id: uuid.UUID
    group_id: uuid.UUID
    date: dt.date
    beneficiary_id: uuid.UUID
    status: str
