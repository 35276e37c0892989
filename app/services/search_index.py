"""The beneficiaries' search index: folded words of names, CIN and phone, one row each.

A query matches a beneficiary when every word typed is the beginning of one of that
person's indexed words ("فاطمة الز" finds "فاطمة الزهراء العلوي"). A family name with
the article is indexed with and without it, so "علوي" finds "العلوي" too. Only living
people are indexed. Prefix matching is a range scan on the token key, which also carries
the sort key: the same SQL on SQLite and PostgreSQL. A query of several words reads the
range of the word that begins the fewest index rows and checks the others person by
person (the index on person and word makes each check one seek).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Select, delete, exists, func, insert, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased

from app.models import Beneficiary, BeneficiarySearchToken
from app.services.text import fold, words

# Sorts after every character a folded word can hold: the top of a prefix range.
PREFIX_END = "\U0010ffff"
ARTICLE = "ال"
# Counting a word's index rows stops here: past it, a word is no lead for a search.
PROBE_LIMIT = 2000


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
    """How many index rows begin with ``word``, counted up to PROBE_LIMIT."""
    token = BeneficiarySearchToken
    rows = (
        select(token.beneficiary_id)
        .where(token.token >= word, token.token < word + PREFIX_END)
        .limit(PROBE_LIMIT)
        .subquery()
    )
    return session.scalar(select(func.count()).select_from(rows)) or 0


def matching(session: OrmSession, text: str) -> Select | None:
    """(sort key, id) of the living people matching every word of ``text``, in list
    order; None when ``text`` has no word (everyone matches)."""
    found = query_words(text)
    if not found:
        return None
    if len(found) > 1:
        # The range of the leading word is read whole and each of its people checked for
        # the other words: lead with the word that begins the fewest index rows. Length
        # says little ("الر" begins ten times as many as "عبد"); a capped count of each
        # range, a few short index reads, says it exactly.
        found.sort(key=lambda word: _index_rows(session, word))
    token = BeneficiarySearchToken
    leading, *others = found
    query = select(token.sort_key, token.beneficiary_id)
    # One or two letters match a large share of the register: read the matches in list
    # order from the initial's or the head's index and stop at the limit, instead of
    # sorting every match. A longer prefix is selective enough for a range.
    if len(leading) == 1:
        query = query.where(token.initial == leading)
    elif len(leading) == 2:
        query = query.where(token.head == leading)
    else:
        query = query.where(token.token >= leading, token.token < leading + PREFIX_END)
    for word in others:
        other = aliased(BeneficiarySearchToken)
        query = query.where(
            exists().where(
                other.beneficiary_id == token.beneficiary_id,
                other.token >= word,
                other.token < word + PREFIX_END,
            )
        )
    return query.distinct().order_by(token.sort_key, token.beneficiary_id)
