"""Finding people as a coordinator types their name, in whichever spelling she uses."""

from __future__ import annotations

import pytest

from app.services.beneficiaries import (
    BeneficiaryFilter,
    BeneficiaryInput,
    find_beneficiary_ids,
    first_page,
    input_from_record,
    register_beneficiary,
    remove_beneficiary,
    search_beneficiaries,
    update_beneficiary,
)
from app.services.register import Register
from tests.integration.conftest import TODAY

PEOPLE = [
    ("أحمد", "العلوي", "Ahmed", "Alaoui", "M", "K100001", "0611111111"),
    ("فاطمة الزهراء", "الإدريسي", "Fatima Zahra", "El Idrissi", "F", "K100002", None),
    ("محمد", "بنعلي", "Mohamed", "Benali", "M", None, "0722222222"),
    ("آمال", "مصطفى", "Amal", "Moustafa", "F", "AB200003", None),
]


@pytest.fixture
def people(register: Register) -> Register:
    with register.unit_of_work() as uow:
        for given, family, given_l, family_l, sex, cin, phone in PEOPLE:
            register_beneficiary(
                uow,
                BeneficiaryInput(
                    given_name_ar=given,
                    family_name_ar=family,
                    given_name_latin=given_l,
                    family_name_latin=family_l,
                    sex=sex,
                    birth_date="1990-01-01",
                    cin=cin,
                    phone=phone,
                ),
                today=TODAY,
            )
    return register


def _names(register: Register, query: str) -> list[str]:
    with register.unit_of_work() as uow:
        return [p.given_name_ar for p in search_beneficiaries(uow, query)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("احمد", ["أحمد"]),
        ("فاطمه", ["فاطمة الزهراء"]),
        ("مُحَمَّد", ["محمد"]),
        ("mohamed", ["محمد"]),
        ("MOHA", ["محمد"]),
        ("امال", ["آمال"]),
        ("مصطفي", ["آمال"]),
        ("ف", ["فاطمة الزهراء"]),
        ("m", ["محمد", "آمال"]),  # one letter: Mohamed, and Amal's family name Moustafa
        ("ف ا", ["فاطمة الزهراء"]),  # two one-letter words
        ("be", ["محمد"]),  # two letters: BENALI
        ("ال", ["أحمد", "فاطمة الزهراء"]),  # the article: العلوي, الإدريسي, الزهراء
        ("الز", ["فاطمة الزهراء"]),
        ("zahra idr", ["فاطمة الزهراء"]),
        ("k10000", ["أحمد", "فاطمة الزهراء"]),
        ("ab200003", ["آمال"]),
        ("0722", ["محمد"]),
        ("علوي", ["أحمد"]),  # the family name without its article
        ("ادريس", ["فاطمة الزهراء"]),
        ("xyz", []),
    ],
)
def test_search_finds_the_spelling_typed(people: Register, typed: str, expected: list[str]) -> None:
    assert sorted(_names(people, typed)) == sorted(expected)


def test_results_come_in_name_order_and_empty_query_lists_everyone(people: Register) -> None:
    everyone = _names(people, "")
    assert len(everyone) == 4
    assert everyone == _names(people, "  ")


def test_a_corrected_name_is_found_under_the_new_name_only(people: Register) -> None:
    with people.unit_of_work() as uow:
        ahmed = search_beneficiaries(uow, "احمد")[0]
        form = input_from_record(ahmed)
        update_beneficiary(
            uow,
            ahmed.id,
            BeneficiaryInput(
                **{**form.__dict__, "given_name_ar": "حميد", "given_name_latin": "Hamid"}
            ),
            today=TODAY,
        )
    assert _names(people, "احمد") == []
    assert _names(people, "حميد") == ["حميد"]
    assert _names(people, "hamid") == ["حميد"]


def test_a_removed_person_is_not_found(people: Register) -> None:
    with people.unit_of_work() as uow:
        remove_beneficiary(uow, search_beneficiaries(uow, "mohamed")[0].id)
    assert _names(people, "mohamed") == []


def test_a_list_page_counts_up_to_the_limit_and_places_the_person_edited(
    people: Register,
) -> None:
    everyone_filter = BeneficiaryFilter()
    with people.unit_of_work(read_only=True) as uow:
        everyone = find_beneficiary_ids(uow, everyone_filter)
        page = first_page(uow, everyone_filter, size=2, limit=3, wanted=everyone[2])
        beyond_limit = first_page(uow, everyone_filter, size=2, limit=3, wanted=everyone[3])
        on_page = first_page(uow, everyone_filter, size=2, limit=3, wanted=everyone[1])
        filtered_out = first_page(
            uow, BeneficiaryFilter(text="m"), size=1, limit=10, wanted=everyone[0]
        )
        rest = find_beneficiary_ids(uow, everyone_filter, limit=2, offset=2)
    assert len(everyone) == 4
    assert page.total == 3, "counted up to the list's limit"
    assert page.ids == tuple(everyone[:2])
    assert [page.records[i].id for i in page.ids] == everyone[:2]
    assert page.row_of_wanted == 2, "found past the first page"
    assert beyond_limit.row_of_wanted is None
    assert on_page.row_of_wanted == 1
    assert filtered_out.total == 2 and filtered_out.row_of_wanted is None
    assert rest == everyone[2:]
