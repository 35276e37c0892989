"""Registering, correcting, removing and finding beneficiaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, tuple_

from app.i18n import _
from app.models import Beneficiary, Enrolment
from app.services import search_index, validation
from app.services.context import Where, resolve_beneficiary, where
from app.services.errors import DuplicateCin
from app.services.records import BeneficiaryRecord, from_row
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import Area, Disability, EducationLevel, MaritalStatus, Sex


@dataclass(frozen=True)
class BeneficiaryInput:
    """What a person typed in the form (or on the command line), before any check."""

    family_name_ar: str | None = None
    given_name_ar: str | None = None
    family_name_latin: str | None = None
    given_name_latin: str | None = None
    sex: str | None = None
    birth_date: str | dt.date | None = None
    cin: str | None = None
    phone: str | None = None
    address: str | None = None
    commune_code: str | None = None
    area: str | None = None
    marital_status: str | None = None
    education_level: str | None = None
    disability: str | None = None
    rsu_number: str | None = None
    guardian_name: str | None = None
    guardian_cin: str | None = None
    guardian_phone: str | None = None
    consent_date: str | dt.date | None = None
    notes: str | None = None


def _rsu(field: str, value: str | None) -> str | None:
    text = validation.clean_spaces(value).replace(" ", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 20:
        raise validation.reject(field, _("The social registry number is made of digits only."))
    return text


def clean(data: BeneficiaryInput, *, today: dt.date) -> dict[str, object]:
    """Check every field; return the stored values or raise InputRejected listing all the
    refused fields at once (a form shows each message next to its field)."""
    checks = validation.Checks()
    check = checks.check
    check("family_name_ar", validation.name_ar, data.family_name_ar)
    check("given_name_ar", validation.name_ar, data.given_name_ar)
    check("family_name_latin", validation.name_latin, data.family_name_latin)
    check("given_name_latin", validation.name_latin, data.given_name_latin)
    check("sex", validation.code, data.sex, Sex)
    birth = check("birth_date", validation.birth_date, data.birth_date, today=today)
    check("cin", validation.cin, data.cin)
    check("phone", validation.phone, data.phone)
    check("address", validation.text, data.address, limit=500)
    check("commune_code", validation.text, data.commune_code, limit=16)
    check("area", validation.code, data.area, Area, required=False)
    check("marital_status", validation.code, data.marital_status, MaritalStatus, required=False)
    check("education_level", validation.code, data.education_level, EducationLevel, required=False)
    check("disability", validation.code, data.disability, Disability, required=False)
    check("rsu_number", _rsu, data.rsu_number)
    guardian = check("guardian_name", validation.text, data.guardian_name)
    check("guardian_cin", validation.cin, data.guardian_cin)
    check("guardian_phone", validation.phone, data.guardian_phone)
    consent = check("consent_date", validation.parse_date, data.consent_date, required=False)
    check("notes", validation.text, data.notes, limit=2000)
    if birth is not None:
        if validation.age_on(birth, today) < validation.ADULT_AGE and not guardian:
            checks.fail("guardian_name", _("A child needs a guardian's name."))
        if consent is not None and not birth <= consent <= today:
            checks.fail("consent_date", _("The consent date must fall between birth and today."))
    return checks.done()


def _check_duplicate_cin(
    uow: UnitOfWork, cin: object, *, place: Where, exclude: uuid.UUID | None = None
) -> None:
    if not cin:
        return
    query = select(Beneficiary).where(
        Beneficiary.cin == cin,
        Beneficiary.centre_id == place.centre.id,
        Beneficiary.cl % 2 == 1,
    )
    if exclude is not None:
        query = query.where(Beneficiary.id != exclude)
    existing = uow.session.scalars(query).first()
    if existing is not None:
        record = from_row(BeneficiaryRecord, existing)
        raise DuplicateCin(
            _("{cin} is already the ID number of {name}, born {birth} (record {id}).").format(
                cin=cin,
                name=record.full_name_ar,
                birth=record.birth_date.isoformat(),
                id=str(record.id)[:8],
            ),
            existing=record,
        )


def register_beneficiary(
    uow: UnitOfWork, data: BeneficiaryInput, *, today: dt.date, allow_duplicate_cin: bool = False
) -> BeneficiaryRecord:
    """Add a person to the centre's register."""
    place = where(uow.session)
    values = clean(data, today=today)
    if not allow_duplicate_cin:
        _check_duplicate_cin(uow, values["cin"], place=place)
    row = uow.add(Beneficiary(centre_id=place.centre.id, **values))
    uow.session.flush()
    return from_row(BeneficiaryRecord, row)


def add_checked(uow: UnitOfWork, people: Sequence[Mapping[str, object]]) -> list[uuid.UUID]:
    """Add people whose values :func:`clean` returned (an import), in one bulk insert
    that the unit of work logs like any other write; their ids, in order."""
    place = where(uow.session)
    return uow.insert_rows(
        Beneficiary, ({**values, "centre_id": place.centre.id} for values in people)
    )


def people_like(
    uow: UnitOfWork, *, cins: Iterable[str], people: Iterable[tuple[str, str, dt.date]]
) -> list[BeneficiaryRecord]:
    """The centre's living people who hold one of these ID numbers, or whose Arabic
    names (folded: hamza, ta marbuta…) and birth date are those of one of ``people``
    (family, given, birth): whom an import compares its rows with, to find who is in."""
    place = where(uow.session)
    alive = (Beneficiary.centre_id == place.centre.id, Beneficiary.cl % 2 == 1)
    # The sort key is the folded "family given", indexed: each pair is a short range.
    pairs = list({(search_index.sort_key(f, g), birth) for f, g, birth in people})
    by_name = tuple_(Beneficiary.sort_key, Beneficiary.birth_date)
    found: dict[uuid.UUID, Beneficiary] = {}
    for column, values in ((Beneficiary.cin, list(cins)), (by_name, pairs)):
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            for row in uow.session.scalars(select(Beneficiary).where(column.in_(chunk), *alive)):
                found[row.id] = row
    return [from_row(BeneficiaryRecord, row) for row in found.values()]


def update_beneficiary(
    uow: UnitOfWork,
    beneficiary_id: uuid.UUID,
    data: BeneficiaryInput,
    *,
    today: dt.date,
    allow_duplicate_cin: bool = False,
) -> BeneficiaryRecord:
    """Correct a person's record; only the fields that differ are logged."""
    place = where(uow.session)
    row = resolve_beneficiary(uow.session, str(beneficiary_id), place=place)
    values = clean(data, today=today)
    if not allow_duplicate_cin:
        _check_duplicate_cin(uow, values["cin"], place=place, exclude=row.id)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    uow.session.flush()
    return from_row(BeneficiaryRecord, row)


def remove_beneficiary(uow: UnitOfWork, beneficiary_id: uuid.UUID) -> None:
    """Delete a person from the register (a tombstone that sync carries along)."""
    row = resolve_beneficiary(uow.session, str(beneficiary_id), place=where(uow.session))
    uow.delete(row)
    uow.session.flush()


def get_beneficiary(uow: UnitOfWork, ref: str) -> BeneficiaryRecord:
    return from_row(
        BeneficiaryRecord, resolve_beneficiary(uow.session, ref, place=where(uow.session))
    )


def input_from_record(record: BeneficiaryRecord) -> BeneficiaryInput:
    """The form values that would store ``record`` unchanged (for edit forms)."""
    names = {f.name for f in dataclasses.fields(BeneficiaryInput)}
    return BeneficiaryInput(**{n: getattr(record, n) for n in names})


@dataclass(frozen=True)
class BeneficiaryFilter:
    """What the list is narrowed to, besides the words typed."""

    text: str = ""
    sex: str | None = None
    group_id: uuid.UUID | None = None
    # active: in a group now; dropped: left a group without finishing; none: in no group
    status: str | None = None


def _matching(
    uow: UnitOfWork, filters: BeneficiaryFilter, *, first_rows_only: bool = False
) -> search_index.Matching:
    """Ids (and sort keys) of the people matching ``filters``, in list order."""
    found = search_index.matching(uow.session, filters.text, first_rows_only=first_rows_only)
    if found is None:
        everyone = (
            select(Beneficiary.sort_key, Beneficiary.id)
            .where(Beneficiary.cl % 2 == 1)
            .order_by(Beneficiary.sort_key, Beneficiary.id)
        )
        found = search_index.Matching(everyone, checked=False)
    query = found.query
    person = query.selected_columns[1]
    if filters.sex:
        query = query.where(
            person.in_(select(Beneficiary.id).where(Beneficiary.sex == filters.sex))
        )
    enrolments = select(Enrolment.beneficiary_id).where(Enrolment.cl % 2 == 1)
    if filters.group_id is not None:
        enrolments = enrolments.where(Enrolment.group_id == filters.group_id)
    if filters.status == "none":
        query = query.where(person.not_in(enrolments))
    elif filters.status in ("active", "dropped", "completed"):
        query = query.where(person.in_(enrolments.where(Enrolment.status == filters.status)))
    elif filters.group_id is not None:
        query = query.where(person.in_(enrolments))
    return dataclasses.replace(found, query=query)


def find_beneficiary_ids(
    uow: UnitOfWork, filters: BeneficiaryFilter, *, limit: int = 5000, offset: int = 0
) -> list[uuid.UUID]:
    """Ids of the people matching ``filters``, in name order (a list screen's rows),
    from the ``offset``-th on."""
    query = _matching(uow, filters).query.limit(limit).offset(offset)
    return [row[1] for row in uow.session.execute(query)]


@dataclass(frozen=True)
class BeneficiaryPage:
    """The first rows of a list, with their records, and how long the whole list is."""

    total: int  # the people matching, counted up to the list's limit
    ids: tuple[uuid.UUID, ...]
    records: Mapping[uuid.UUID, BeneficiaryRecord]
    # The person asked about, and her row when the list holds her (None: it does not).
    wanted: uuid.UUID | None = None
    row_of_wanted: int | None = None
    # False: a search of common words looked at the first people in list order only;
    # the list is the beginning of the result and more people may match.
    complete: bool = True


def first_page(
    uow: UnitOfWork,
    filters: BeneficiaryFilter,
    *,
    size: int,
    limit: int,
    wanted: uuid.UUID | None = None,
) -> BeneficiaryPage:
    """What a list screen shows at each keystroke: the first ``size`` of the (at most
    ``limit``) people matching ``filters``, their records, how many match, and where
    ``wanted`` (the person being edited) stands in the list.

    Only a page of ids is read, and the people counted in the database: a one-letter
    search matches tens of thousands of people, and reading thousands of ids per
    keystroke cost more than the search itself. Later pages come with an offset as the
    list is scrolled (:func:`find_beneficiary_ids`). A search whose every word is common
    looks at the first people in list order only (``complete`` is False).
    """
    found = _matching(uow, filters, first_rows_only=True)
    matching = found.query
    if not found.checked:
        # The page stops at its last row; the count at the limit, in no particular order.
        total = uow.session.scalar(
            select(func.count()).select_from(matching.order_by(None).limit(limit).subquery())
        )
        ids = tuple(row[1] for row in uow.session.execute(matching.limit(min(size, limit))))
    else:
        # Every candidate is read and checked (and sorted) anyway: count them in that pass.
        listed = matching.order_by(None).subquery()
        key, person = listed.c[0], listed.c[1]
        rows = uow.session.execute(
            select(person, func.count().over()).order_by(key, person).limit(min(size, limit))
        ).all()
        ids = tuple(row[0] for row in rows)
        total = rows[0][1] if rows else 0
    total = min(total or 0, limit)
    row_of_wanted = ids.index(wanted) if wanted in ids else None
    if wanted is not None and row_of_wanted is None and len(ids) < total:
        listed = matching.limit(limit).subquery()
        key, person = listed.c[0], listed.c[1]
        numbered = select(
            person.label("person"), func.row_number().over(order_by=(key, person)).label("row")
        ).subquery()
        found_row = uow.session.scalar(select(numbered.c.row).where(numbered.c.person == wanted))
        row_of_wanted = None if found_row is None else found_row - 1
    return BeneficiaryPage(
        total=total,
        ids=ids,
        records=beneficiaries_by_id(uow, list(ids)),
        wanted=wanted,
        row_of_wanted=row_of_wanted,
        complete=not found.cut,
    )


_RECORD_COLUMNS = tuple(getattr(Beneficiary, f.name) for f in dataclasses.fields(BeneficiaryRecord))


def beneficiaries_by_id(
    uow: UnitOfWork, ids: list[uuid.UUID]
) -> dict[uuid.UUID, BeneficiaryRecord]:
    """Records of these people (a list screen fills its row cache with it)."""
    # Read as plain rows, not ORM objects: half the time, and a page comes per keystroke.
    rows = uow.session.execute(select(*_RECORD_COLUMNS).where(Beneficiary.id.in_(ids)))
    records = (BeneficiaryRecord(*row) for row in rows)
    return {record.id: record for record in records}


def search_beneficiaries(uow: UnitOfWork, text: str, *, limit: int = 50) -> list[BeneficiaryRecord]:
    """People whose names, CIN or phone start with every word typed, in name order."""
    ids = find_beneficiary_ids(uow, BeneficiaryFilter(text=text), limit=limit)
    found = beneficiaries_by_id(uow, ids)
    return [found[row_id] for row_id in ids]
