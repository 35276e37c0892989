"""The Arabic and French catalogs: complete, faithful to the placeholders, up to date.

A message added to the code without a translation fails here: run
scripts/update-translations, translate the new entries of each sijill.po, and run again.
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Iterator
from functools import cache

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import app.i18n as i18n
from app.config import PROJECT_ROOT
from app.services import validation
from app.services.errors import InputRejected

BABEL_CFG = PROJECT_ROOT / "babel.cfg"
TO_DO = "run scripts/update-translations and translate"
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


@cache
def catalog(language: str) -> Catalog:
    with i18n.catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def messages(language: str) -> Iterator[Message]:
    return (message for message in catalog(language) if message.id)


def forms(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def placeholders(text: str) -> set[str]:
    """The replacement fields of a str.format text, as written: {name}, {limit:d}."""
    fields = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add(
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return fields


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    assert not catalog(language).fuzzy, f"the {language} catalog header is marked fuzzy"
    assert any(True for _ in messages(language)), f"the {language} catalog is empty"
    wanted_forms = catalog(language).num_plurals
    untranslated = [
        message.id
        for message in messages(language)
        if not all(form.strip() for form in forms(message.string))
        or (message.pluralizable and len(forms(message.string)) != wanted_forms)
    ]
    fuzzy = [message.id for message in messages(language) if message.fuzzy]
    report = ""
    if untranslated:
        report += f"{len(untranslated)} message(s) without a {language} translation ({TO_DO}):\n"
        report += "".join(f"  {msgid!r}\n" for msgid in untranslated)
    if fuzzy:
        report += f"{len(fuzzy)} fuzzy {language} translation(s), which the application "
        report += "ignores: check each one, then remove its fuzzy flag:\n"
        report += "".join(f"  {msgid!r}\n" for msgid in fuzzy)
    assert not report, report


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    faults = []
    for message in messages(language):
        if not all(forms(message.string)):
            continue  # untranslated: the test above names it
        try:
            wanted = set().union(*(placeholders(text) for text in forms(message.id)))
            # Every form may leave out a field (Arabic "one" says no number), but none may
            # invent one, and the general form ("other", the last) keeps them all.
            translated = [placeholders(text) for text in forms(message.string)]
        except ValueError as error:  # an unmatched brace: .format() would raise too
            faults.append(f"{message.id!r}: {error}")
            continue
        added = set().union(*translated) - wanted
        lost = wanted - translated[-1]
        if added or lost:
            faults.append(
                f"{message.id!r} -> {message.string!r}: "
                + ", ".join(
                    part
                    for part in (
                        f"added {sorted(added)}" if added else "",
                        f"lost {sorted(lost)}" if lost else "",
                    )
                    if part
                )
            )
    assert not faults, f"{language} translations that break placeholders:\n" + "\n".join(faults)


def test_catalogs_hold_every_message_of_the_code() -> None:
    with BABEL_CFG.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(BABEL_CFG))
    extracted: dict[str, tuple[str, int, bool]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT, method_map, options_map
    ):
        msgid = forms(message)[0]
        extracted.setdefault(msgid, (filename, lineno, not isinstance(message, str)))
    assert extracted, "nothing extracted from app/: is babel.cfg right?"
    for language in i18n.LANGUAGES:
        missing = [
            f"{filename}:{lineno}: {msgid!r}"
            for msgid, (filename, lineno, plural) in sorted(extracted.items())
            if msgid not in catalog(language) or catalog(language)[msgid].pluralizable != plural
        ]
        assert not missing, (
            f"{len(missing)} message(s) of the code missing from the {language} catalog "
            f"({TO_DO}):\n" + "\n".join(missing)
        )


def test_arabic_has_the_six_cldr_plural_forms() -> None:
    """Babel's own rule for "ar" swaps "many" and "other" (python-babel/babel#816);
    scripts/update-translations writes the CLDR one into the header."""
    ar = catalog("ar")
    assert ar.num_plurals == 6
    form_of = gettext.c2py(ar.plural_expr)
    cldr = Locale("ar").plural_form
    wrong = [n for n in range(1000) if form_of(n) != CLDR_ORDER.index(cldr(n))]
    assert not wrong, f"Plural-Forms of ar/sijill.po picks the wrong form for n={wrong[:10]}"


@pytest.fixture
def restore_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


def _required_name_message() -> str:
    with pytest.raises(InputRejected) as caught:
        validation.name_ar("family_name_ar", "  ")
    return caught.value.errors[0].message


@pytest.mark.usefixtures("restore_language")
def test_the_application_speaks_the_chosen_language() -> None:
    msgid = "This name is required."
    said = {}
    for language in i18n.LANGUAGES:
        i18n.set_language(language)
        said[language] = _required_name_message()
        assert said[language] == catalog(language)[msgid].string != msgid
    assert re.search("[\u0600-\u06ff]", said["ar"]), said["ar"]
    assert said["ar"] != said["fr"]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_catalog_compiles(language: str) -> None:
    """What `pybabel compile` checks at setup (a "%" before a letter reads as a printf
    placeholder, and the translation must then have the same ones): a catalog it refuses
    leaves the application without its language."""
    problems = [
        f"{message.id!r}: {'; '.join(str(e) for e in errors)}"
        for message, errors in catalog(language).check()
    ]
    assert not problems, "\n".join(problems)
