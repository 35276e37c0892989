"""Finding people as a coordinator types their name, in whichever spelling she uses."""

from __future__ import annotations

import pytest

from app.services import search_index
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


# Fatima of ten families, eight of them beginning with alef; and Salma, an Alaoui too.
FATIMAS = ["العلوي", "الإدريسي", "أمزيان", "بنعلي", "العمراني", "أيت علي", "المرابط"]
FATIMAS += ["بوزيد", "التازي", "الحسني"]


@pytest.fixture
def fatimas(register: Register) -> Register:
    with register.unit_of_work() as uow:
        for given, family in [*(("فاطمة", f) for f in FATIMAS), ("سلمى", "العلوي")]:
            data = BeneficiaryInput(
                given_name_ar=given, family_name_ar=family, sex="F", birth_date="1990-01-01"
            )
            register_beneficiary(uow, data, today=TODAY)
    return register


def _families(register: Register, ids: list) -> list[str]:
    with register.unit_of_work(read_only=True) as uow:
        found = {p.id: p for p in search_beneficiaries(uow, "", limit=100)}
    return [f"{found[i].given_name_ar} {found[i].family_name_ar}" for i in ids]


def test_a_search_of_common_words_shows_the_first_people_and_says_more_may_match(
    fatimas: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every word typed begins more index rows than a list page may check (here
    six), the page looks at the first people in name order only: it lists the beginning
    of the result, and says the list may go on; the whole list is still there to read."""
    monkeypatch.setattr(search_index, "CHECKS", 6)
    common = BeneficiaryFilter(text="ف ا")
    with fatimas.unit_of_work(read_only=True) as uow:
        everyone = find_beneficiary_ids(uow, common)
        page = first_page(uow, common, size=2, limit=100)
        beginning = find_beneficiary_ids(uow, common, limit=page.total)
    assert _families(fatimas, everyone) == [
        "فاطمة الإدريسي",
        "فاطمة التازي",
        "فاطمة الحسني",
        "فاطمة العلوي",
        "فاطمة العمراني",
        "فاطمة المرابط",
        "فاطمة أمزيان",
        "فاطمة أيت علي",
    ]
    assert not page.complete
    assert 2 <= page.total < len(everyone)
    assert page.ids == tuple(everyone[:2])
    assert beginning == everyone[: page.total], "what the page counted begins the list"

    # A whole word among them: read from its first two letters' index, checked in full.
    longer = BeneficiaryFilter(text="فاطمة ال")
    with fatimas.unit_of_work(read_only=True) as uow:
        everyone = find_beneficiary_ids(uow, longer)
        page = first_page(uow, longer, size=2, limit=100)
    assert _families(fatimas, everyone) == [
        "فاطمة الإدريسي",
        "فاطمة التازي",
        "فاطمة الحسني",
        "فاطمة العلوي",
        "فاطمة العمراني",
        "فاطمة المرابط",
    ]
    assert not page.complete and page.ids == tuple(everyone[:2])


@pytest.mark.parametrize(
    "typed", ["فاطمة ا", "فاطمة العلوي", "ف الع", "سلمى ا", "ف", "فا", "فاطمة", "العلوي", "ا ب"]
)
def test_a_page_counts_what_the_whole_list_holds(
    fatimas: Register, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """A word that begins few index rows leads the search, and the page then counts the
    whole result in the pass that finds its first rows."""
    monkeypatch.setattr(search_index, "CHECKS", 30)
    with fatimas.unit_of_work(read_only=True) as uow:
        everyone = find_beneficiary_ids(uow, BeneficiaryFilter(text=typed))
        page = first_page(uow, BeneficiaryFilter(text=typed), size=3, limit=100)
    assert page.complete
    assert page.total == len(everyone)
    assert page.ids == tuple(everyone[:3])
