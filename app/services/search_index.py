"""The beneficiaries' search index: folded words of names, CIN and phone, one row each.

A query matches a beneficiary when every word typed is the beginning of one of that
person's indexed words ("فاطمة الز" finds "فاطمة الزهراء العلوي"). A family name with
the article is indexed with and without it, so "علوي" finds "العلوي" too. Only living
people are indexed. Prefix matching is a range scan on the token key, which also carries
the sort key: the same SQL on SQLite and PostgreSQL.

A query of several words is led by the word that begins the fewest index rows: its rows
are read and each of their people checked for the other words, each check one seek in
the other word's first-letters index at the person's place (which the last check left
close by). When every word is common ("م ال", "fatima el"), no word's rows are few
enough to read whole at each keystroke: the people are then read in list order from the
first letters' index, and a list page looks at the first rows only (:data:`CHECKS`), so
it shows the beginning of the result and says more people may match.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, delete, exists, func, insert, select, tuple_
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased

from app.models import Beneficiary, BeneficiarySearchToken
from app.services.text import fold, words

# Sorts after every character a folded word can hold: the top of a prefix range.
PREFIX_END = "\U0010ffff"
ARTICLE = "ال"
# How many person-by-person checks (one index seek each) a list page may cost, a few
# milliseconds: a lead word whose rows would take more is no lead, and a search of common
# words looks at no more people, in list order, than this allows.
CHECKS = 4000


def sort_key(family_name_ar: str | None, given_name_ar: str | None) -> str:
    return fold(f"{family_name_ar or ''} {given_name_ar or ''}").strip()


_INDEXED = (
    Beneficiary.id,
    Beneficiary.sort_key,
    Beneficiary.family_name_ar,
    Beneficiary.given_name_ar,
    Beneficiary.family_name_latin,
    Beneficiary.given_name_latin,
    Beneficiary.cin,
    Beneficiary.phone,
)


def tokens_of(*names: str | None, cin: str | None, phone: str | None) -> set[str]:
    found: set[str] = set()
    for text in names:
        for word in words(text):
            found.add(word)
            if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 2:
                found.add(word[len(ARTICLE) :])
    for code in (cin, phone):
        if code:
            found.add(fold(code))
    return found


def refresh(session: OrmSession, ids: Iterable[uuid.UUID]) -> None:
    """Rewrite the index rows of these beneficiaries from their stored values."""
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(
            delete(BeneficiarySearchToken).where(BeneficiarySearchToken.beneficiary_id.in_(chunk))
        )
        rows = session.execute(
            select(*_INDEXED).where(Beneficiary.id.in_(chunk), Beneficiary.cl % 2 == 1)
        ).all()
        tokens = [
            {
                "token": token,
                "sort_key": key or "",
                "beneficiary_id": row_id,
                "initial": token[0],
                "head": token[:2],
            }
            for row_id, key, *names, cin, phone in rows
            for token in tokens_of(*names, cin=cin, phone=phone)
        ]
        if tokens:
            session.execute(insert(BeneficiarySearchToken), tokens)


def query_words(text: str) -> list[str]:
    """The folded words of a query, longest first (then in alphabetical order)."""
    return sorted(set(words(text)), key=lambda word: (-len(word), word))


def _index_rows(session: OrmSession, word: str) -> int:
    """How many index rows begin with ``word``, counted up to CHECKS."""
    token = BeneficiarySearchToken
    rows = select(token.beneficiary_id).where(*_begins(token, word)).limit(CHECKS).subquery()
    return session.scalar(select(func.count()).select_from(rows)) or 0


def _begins(token: type[BeneficiarySearchToken], word: str) -> list[ColumnElement[bool]]:
    """The index rows whose word begins with ``word``: a range of the token key, or for
    one or two letters the initial's or the head's index (which hands them over in list
    order)."""
    if len(word) == 1:
        return [token.initial == word]
    if len(word) == 2:
        return [token.head == word]
    return [token.token >= word, token.token < word + PREFIX_END]


def _in_list_order(token: type[BeneficiarySearchToken], word: str) -> list[ColumnElement[bool]]:
    """The index rows whose word begins with ``word``, from the initial's or the head's
    index (which holds the word too): in list order, whatever the word's length."""
    if len(word) == 1:
        return [token.initial == word]
    if len(word) == 2:
        return [token.head == word]
    return [token.head == word[:2], token.token >= word, token.token < word + PREFIX_END]


@dataclass(frozen=True)
class Matching:
    """How a search reads its people: (sort key, id) of each, in list order."""

    query: Select
    # Each candidate is checked person by person for the other words: the page and the
    # count had better come from one pass.
    checked: bool
    # Only the people in the first rows of an index were looked at (in list order): the
    # query lists the beginning of the result, and more people may match.
    cut: bool = False


def matching(session: OrmSession, text: str, *, first_rows_only: bool = False) -> Matching | None:
    """How to read the living people matching every word of ``text``, in list order;
    None when ``text`` has no word (everyone matches). With ``first_rows_only``, a search
    of common words looks only at the people a list page can afford to check."""
    found = query_words(text)
    if not found:
        return None
    token = BeneficiarySearchToken
    distinct = (token.sort_key, token.beneficiary_id)
    if len(found) == 1:
        # One or two letters match a large share of the register: read the matches in
        # list order from the initial's or the head's index and stop at the limit,
        # instead of sorting every match. A longer prefix is selective enough for a range.
        word = found[0]
        query = select(*distinct).where(*_begins(token, word))
        return Matching(query.distinct().order_by(*distinct), checked=False)
    # Lead with the word that begins the fewest index rows: length says little ("الر"
    # begins ten times as many as "عبد"); a capped count of each range, a few short index
    # reads, says it exactly.
    rows = {word: _index_rows(session, word) for word in found}
    leading = min(found, key=rows.__getitem__)
    others = [word for word in found if word != leading]
    if rows[leading] * len(others) < CHECKS:
        query = select(*distinct).where(*_begins(token, leading), *_having(token, others))
        return Matching(query.distinct().order_by(*distinct), checked=True)
    # Every word is common: read people in list order from the index of the longest
    # word's first letters, and check the other words of each.
    leading, *others = found
    query = select(*distinct).where(*_in_list_order(token, leading), *_having(token, others))
    cut = False
    if first_rows_only:
        # The first index row past what a page may check: the people before it are looked at.
        edge = session.execute(
            select(*distinct)
            .where(*_begins(token, leading[:2]))
            .order_by(*distinct)
            .offset(CHECKS // len(others))
            .limit(1)
        ).first()
        if edge is not None:
            query = query.where(tuple_(*distinct) < tuple(edge))
            cut = True
    return Matching(query.distinct().order_by(*distinct), checked=True, cut=cut)


def _having(token: type[BeneficiarySearchToken], found: list[str]) -> list[ColumnElement[bool]]:
    """Each of these words begins one of the person's own words: one seek each, in the
    word's list-order index at the person's place (people are checked in list order, or
    nearly: each seek lands next to the last one)."""
    checks = []
    for word in found:
        other = aliased(BeneficiarySearchToken)
        checks.append(
            exists().where(
                *_in_list_order(other, word),
                other.sort_key == token.sort_key,
                other.beneficiary_id == token.beneficiary_id,
            )
        )
    return checks
