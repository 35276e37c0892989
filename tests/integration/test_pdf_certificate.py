"""Printed certificates: real PDFs from the CLI read back with poppler, their QR codes read
back from the rendered page, the template settings on paper, and approved pictures of
fixed certificates.

The golden pages are drawn from fixed records signed with a fixed Ed25519 key. Ed25519
signatures are deterministic (the same key and text give the same signature), so the QR
code, like everything else on the page, is the same on every run and is compared with
the normal tolerance: a QR code that moved, grew or changed content fails like any block.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from PIL import Image, ImageDraw
from sqlalchemy import select

from app.models import Certificate, Enrolment, Group
from app.models.ids import natural_id
from app.pdf import certificate
from app.pdf.letterhead import letterhead
from app.services import certificates, document_settings
from app.services.certificates import CertificateDocument
from app.services.context import season_id
from app.services.demo import create_demo
from app.services.keys import Identity, UnlockedKeys
from app.services.register import Register, open_register
from tests.golden import assert_pages_match
from tests.integration.conftest import TODAY, Result, make_centre

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdftoppm) is not installed"
)

PASSPHRASE = "passphrase of the centre"
SEASON = "2025-2026"


def _poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _text(pdf: Path) -> str:
    """The text in reading order, letters folded, direction marks and spaces removed
    (poppler spaces digits next to Arabic words by its own rules)."""
    text = unicodedata.normalize("NFKC", _poppler("pdftotext", "-layout", str(pdf), "-"))
    return re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\s]", "", text)


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def _pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf)), re.M)[1])


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> None:
    """No keyring on this computer: the keys open with SIJILL_PASSPHRASE."""
    monkeypatch.setenv("SIJILL_PASSPHRASE", PASSPHRASE)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_HOME", str(folder / "home"))
        register = make_centre(str(folder / "centre.sqlite"))
        create_demo(register, seed=5, beneficiaries=90, months=15, today=TODAY)
        register.close()
    return folder / "centre.sqlite"


@pytest.fixture
def cli(demo_file: Path, tmp_path: Path, run_cli: Callable[..., Result]) -> Callable[..., Result]:
    """The CLI on a copy of the demo centre (the file run_cli points SIJILL_DB at)."""
    shutil.copy(demo_file, tmp_path / "cli.sqlite")
    return run_cli


def _open(tmp_path: Path) -> Register:
    return open_register(str(tmp_path / "cli.sqlite"))


def _graduates(tmp_path: Path) -> tuple[str, list[str]]:
    """Last season's group with the most graduates, and their Arabic names."""
    from app.models import Beneficiary

    register = _open(tmp_path)
    try:
        with register.reading() as session:
            rows = session.execute(
                select(Group.id, Beneficiary.given_name_ar, Beneficiary.family_name_ar)
                .join(Enrolment, Enrolment.group_id == Group.id)
                .join(Beneficiary, Beneficiary.id == Enrolment.beneficiary_id)
                .where(Group.season_id == season_id(SEASON), Enrolment.status == "completed")
            ).all()
    finally:
        register.close()
    by_group: dict[str, list[str]] = {}
    for group_id, given, family in rows:
        by_group.setdefault(str(group_id), []).append(f"{given} {family}")
    group = max(by_group, key=lambda g: len(by_group[g]))
    return group, by_group[group]


def _serials(tmp_path: Path) -> list[str]:
    register = _open(tmp_path)
    try:
        with register.reading() as session:
            return list(session.scalars(select(Certificate.serial)))
    finally:
        register.close()


def test_a_group_prints_one_page_per_completed_enrolment(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    group, names = _graduates(tmp_path)
    pdf = tmp_path / "certificates.pdf"
    result = cli("pdf", "certificate", "--group", group, "-o", str(pdf))
    assert result.code == 0, result.err
    assert _pages(pdf) == len(names) >= 3
    text = _text(pdf)
    for name in names:
        assert _squeezed(name) in text
    listed = json.loads(cli("certificates", "list", "--json").out)
    serials = [c["serial"] for c in listed]
    assert len(serials) == len(names) == len(set(serials))
    for serial in serials:
        assert serial in text
    assert text.count("حرربتازةفي22نونبر2026") == len(names)
    assert "شهادةنهايةالتكوين" in text and "نظير" not in text
    assert not list(tmp_path.glob(".certificates.pdf.*")), "the temporary file was left behind"

    again = tmp_path / "again.pdf"
    assert cli("pdf", "certificate", "--group", group, "-o", str(again)).code == 0
    assert _text(again).count("نظير") == len(names), "a reprint says duplicate"
    assert sorted(_serials(tmp_path)) == sorted(serials), "a reprint keeps its serial"


def test_french_and_bilingual_certificates(cli: Callable[..., Result], tmp_path: Path) -> None:
    group, names = _graduates(tmp_path)
    french, both = tmp_path / "fr.pdf", tmp_path / "both.pdf"
    assert cli("pdf", "certificate", "--group", group, "--lang", "fr", "-o", str(french)).code == 0
    text = _text(french)
    assert text.count("FaitàTaza,le22novembre2026") == len(names)
    assert "Attestationdefindeformation" in text and "RoyaumeduMaroc" in text
    assert cli("pdf", "certificate", "--group", group, "--bilingual", "-o", str(both)).code == 0
    text = _text(both)
    assert _pages(both) == len(names)
    assert "Attestationdefindeformation" in text and "شهادةنهايةالتكوين" in text
    assert "FaitàTaza,le22novembre2026" in text
    # Beside the French line, poppler gives the Arabic one in the order it is drawn.
    assert "حرربتازةفي" in text and re.search("22نونبر2026|2026نونبر22", text)


def test_an_event_prints_a_page_for_each_participant_and_speaker(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    from app.services.events import list_events, list_participants

    register = _open(tmp_path)
    try:
        with register.unit_of_work(read_only=True) as uow:
            event = list_events(uow)[0]
            people = list_participants(uow, event=event.id)
    finally:
        register.close()
    pdf = tmp_path / "event.pdf"
    result = cli("pdf", "certificate", "--event", str(event.id)[:13], "-o", str(pdf))
    assert result.code == 0, result.err
    assert _pages(pdf) == len(people) > 3
    text = _text(pdf)
    for person in people:
        assert _squeezed(person.name) in text
    assert text.count("شهادةالمشاركة") == len(people) and "متدخل/ة" in text


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--group", "لا يوجد"), "--group"),
        (("--group", "لا يوجد", "--season", "2025"), "--season"),
        (("--event", "0000000000", "--beneficiary", "K1"), "--beneficiary"),
        (("--enrolment", "ffffffffff"), "--enrolment"),
        (("--group", "{group}", "--kind", "participation"), "--kind"),
        (("--group", "{group}", "--kind", "diploma"), "--kind"),
        (("--group", "{group}", "--beneficiary", "ZZ999999"), "--beneficiary"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    cli: Callable[..., Result], tmp_path: Path, args: tuple[str, ...], field: str
) -> None:
    group, _names = _graduates(tmp_path)
    pdf = tmp_path / "refused.pdf"
    result = cli("pdf", "certificate", *(a.format(group=group) for a in args), "-o", str(pdf))
    assert result.code == 3, result.err
    assert field in result.err
    assert not pdf.exists() and _serials(tmp_path) == []


def test_without_the_passphrase_nothing_is_issued(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, _names = _graduates(tmp_path)
    monkeypatch.delenv("SIJILL_PASSPHRASE")
    pdf = tmp_path / "unsigned.pdf"
    result = cli("pdf", "certificate", "--group", group, "-o", str(pdf))
    assert result.code == 3 and "--passphrase" in result.err
    assert not pdf.exists() and _serials(tmp_path) == []


def test_the_qr_code_on_paper_is_checked(cli: Callable[..., Result], tmp_path: Path) -> None:
    group, names = _graduates(tmp_path)
    pdf = tmp_path / "certificates.pdf"
    assert cli("pdf", "certificate", "--group", group, "-o", str(pdf)).code == 0
    # A scan of the first page, at the resolution of an office scanner.
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "scan")],
        check=True,
    )
    (scan,) = tmp_path.glob("scan*.png")
    result = cli("certificates", "verify", str(scan))
    assert result.code == 0, result.err
    serial = min(_serials(tmp_path))
    holder = re.search(r"^صاحب\(ة\) الشهادة\t(.+)$", result.out, re.M)
    assert serial in result.out and holder and holder[1] in names
    assert "ETF-TAZA-01" in result.out

    every = cli("certificates", "verify", str(pdf), "--json")
    assert every.code == 0
    assert sorted(c["serial"] for c in json.loads(every.out)) == sorted(_serials(tmp_path))

    payload = next(b.text for b in zxingcpp.read_barcodes(Image.open(scan)))
    fields = payload.split("|")
    fields[8] = str(int(fields[8]) * 2)  # twice the hours
    refused = cli("--lang", "fr", "certificates", "verify", "|".join(fields))
    assert refused.code == 3 and "NON AUTHENTIQUE" in refused.err and refused.out == ""


def test_every_font_is_embedded(cli: Callable[..., Result], tmp_path: Path) -> None:
    group, _names = _graduates(tmp_path)
    pdf = tmp_path / "both.pdf"
    assert cli("pdf", "certificate", "--group", group, "--bilingual", "-o", str(pdf)).code == 0
    fonts = re.findall(
        r"^(\S+).*?\s(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+$",
        _poppler("pdffonts", str(pdf)),
        flags=re.MULTILINE,
    )
    assert fonts and [name for name, embedded in fonts if embedded != "yes"] == []


def test_the_template_settings_reach_the_paper(cli: Callable[..., Result], tmp_path: Path) -> None:
    group, names = _graduates(tmp_path)
    changed = cli(
        "settings", "documents", "set",
        "--header-ar", "المملكة المغربية",
        "--header-ar", "مندوبية {province} - قطب التكوين",
        "--signatory", "مدير(ة) المركز", "Directeur du centre",
        "--signatory", "رئيسة الجمعية", "Président de l'association",
        "--signatory", "المندوب(ة) الإقليمي(ة)", "Délégué provincial",
        "--place-ar", "واد أمليل",
    )  # fmt: skip
    assert changed.code == 0, changed.err
    shown = cli("settings", "documents", "show", "--json")
    values = json.loads(shown.out)
    assert values["header_ar"][1] == "مندوبية {province} - قطب التكوين"
    assert "header_ar" not in values["defaults"] and "header_fr" in values["defaults"]
    pdf = tmp_path / "custom.pdf"
    assert cli("pdf", "certificate", "--group", group, "-o", str(pdf)).code == 0
    text = _text(pdf)
    assert "مندوبيةتازة-قطبالتكوين" in text and "وزارةالتضامن" not in text
    assert text.count("رئيسةالجمعية") == len(names)
    assert "حرربوادأمليلفي22نونبر2026" in text
    # The attendance sheet's letterhead is the same template.
    sheet = tmp_path / "sheet.pdf"
    assert (
        cli(
            "pdf", "attendance-sheet", "--group", group, "--month", "2026-03", "-o", str(sheet)
        ).code
        == 0
    )
    assert "مندوبيةتازة-قطبالتكوين" in _text(sheet)

    reset = cli("settings", "documents", "reset", "header_ar", "signatories", "place_ar")
    assert reset.code == 0, reset.err
    assert json.loads(cli("settings", "documents", "show", "--json").out)["defaults"] == list(
        document_settings.FIELDS
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--min-attendance", "150"), "--min-attendance"),
        (("--min-attendance", "خمسون"), "--min-attendance"),
        (("--logo", "/no/such/logo.png"), "--logo"),
        (("--header-ar", " "), "--header-ar"),
        (("--place-fr", "Taza", "--logo", "{text}"), "--logo"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(
    cli: Callable[..., Result], tmp_path: Path, args: tuple[str, ...], field: str
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("pas une image", encoding="utf-8")
    before = cli("settings", "documents", "show", "--json").out
    result = cli("settings", "documents", "set", *(a.format(text=text_file) for a in args))
    assert result.code == 3 and field in result.err, result.err
    assert cli("settings", "documents", "show", "--json").out == before
    assert cli("settings", "documents", "reset", "colour").code == 3


def test_the_attendance_rule_is_reported_per_person(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    group, names = _graduates(tmp_path)
    assert cli("settings", "documents", "set", "--min-attendance", "95").code == 0
    pdf = tmp_path / "strict.pdf"
    result = cli("pdf", "certificate", "--group", group, "-o", str(pdf))
    refused = result.err.splitlines()
    if result.code == 0:
        assert refused and _pages(pdf) == len(names) - len(refused)
    else:  # nobody attended that much
        assert result.code == 3 and not pdf.exists()
    assert all("95" in line for line in refused)


# -- approved pictures of fixed certificates ---------------------------------------------

FIXED_SIGNING = SigningKey(bytes(range(32)))
FIXED_BOX = PrivateKey(bytes(range(32, 64)))


def _fixed_signer() -> UnlockedKeys:
    identity = Identity(
        role="centre",
        code="ETF-TAZA-01",
        name="مركز التربية والتكوين الأمل",
        site_id="0" * 32,
        sign_public=bytes(FIXED_SIGNING.verify_key),
        box_public=bytes(FIXED_BOX.public_key),
    )
    return UnlockedKeys(identity, signing=FIXED_SIGNING, box=FIXED_BOX)


def _fixed(kind: str, serial: str, **fields: object) -> CertificateDocument:
    """A certificate of the demo centre with its payload signed by the fixed key."""
    values: dict = {
        "id": natural_id("test-certificate", serial),
        "serial": serial,
        "kind": kind,
        "issued_on": dt.date(2025, 7, 18),
        "place_ar": "تازة",
        "place_fr": "Taza",
        "duplicate": False,
        "centre_code": "ETF-TAZA-01",
        "centre_name_ar": "مركز التربية والتكوين الأمل",
        "centre_name_fr": "Centre d'éducation et de formation Al Amal",
        "holder_name": "فاطمة الزهراء العلوي",
        "holder_name_latin": "FATIMA ZAHRA EL ALAOUI",
        "sex": "F",
        "birth_date": dt.date(1999, 3, 12),
        "cin": "Z123456",
        "hours": None,
        "mention": None,
        "payload": "",
        **fields,
    }
    subject = "EFT-COU" if values.get("programme_name_ar") else str(values.get("event_date"))
    detail = values.get("season_label") or values.get("role") or ""
    values["payload"] = certificates.signed_payload(
        _fixed_signer(),
        centre_code="ETF-TAZA-01",
        serial=serial,
        kind=kind,
        issued_on=values["issued_on"],
        holder_name=values["holder_name"],
        subject=subject,
        detail=detail,
        hours=values["hours"],
        mention=values["mention"],
    )
    return CertificateDocument(**values)


COMPLETION = {
    "programme_name_ar": "الخياطة",
    "programme_name_fr": "Couture",
    "group_name": "الخياطة - الفوج 1",
    "season_label": "2024-2025",
    "start_date": dt.date(2024, 9, 16),
    "end_date": dt.date(2025, 6, 30),
    "hours": 186,
    "mention": "حسن جدا",
}
GOLDEN = {
    "certificate-ar-completion": (
        "ar",
        False,
        [_fixed("completion", "2025-7K3QP-0042", **COMPLETION)],
    ),
    "certificate-fr-participation": (
        "fr",
        False,
        [
            _fixed(
                "participation",
                "2025-7K3QP-0043",
                holder_name="الدكتورة نادية بنعلي",
                holder_name_latin=None,
                sex=None,
                birth_date=None,
                cin=None,
                organisation="المندوبية الإقليمية للصحة",
                event_title_ar="يوم تحسيسي حول سرطان الثدي",
                event_title_fr="Journée de sensibilisation au cancer du sein",
                event_kind="awareness_day",
                event_date=dt.date(2025, 10, 20),
                event_place="قاعة الاجتماعات",
                role="speaker",
            )
        ],
    ),
    "certificate-bilingual-duplicate": (
        "ar",
        True,
        [
            _fixed(
                "attendance",
                "2025-7K3QP-0044",
                duplicate=True,
                holder_name="يوسف بنعلي",
                holder_name_latin="YOUSSEF BENALI",
                sex="M",
                birth_date=dt.date(2008, 1, 5),
                cin=None,
                **{**COMPLETION, "end_date": None, "mention": None, "hours": 63},
            )
        ],
    ),
}


def _logo(path: Path) -> Path:
    """A plain round emblem, drawn here so the picture is the same on every run."""
    image = Image.new("RGBA", (200, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 190, 190), fill=(0, 98, 51, 255))
    draw.ellipse((55, 55, 145, 145), fill=(193, 39, 45, 255))
    image.save(path)
    return path


def _render(register: Register, name: str, tmp_path: Path) -> bytes:
    language, bilingual, documents = GOLDEN[name]
    with register.unit_of_work() as uow:
        if bilingual:
            document_settings.change_documents(uow, logo=str(_logo(tmp_path / "logo.png")))
        data = certificate.render(
            documents,
            letterhead=letterhead(uow),
            template=document_settings.document_template(uow),
            language=language,
            bilingual=bilingual,
        )
    return data


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_the_certificate_looks_as_approved(register: Register, tmp_path: Path, name: str) -> None:
    """The printed layout does not drift: every page matches its approved picture."""
    assert_pages_match(_render(register, name, tmp_path), name)


def test_the_same_certificates_print_the_same_bytes_and_their_code_reads_back(
    register: Register, tmp_path: Path
) -> None:
    name = "certificate-ar-completion"
    data = _render(register, name, tmp_path)
    assert data == _render(register, name, tmp_path)
    pdf = tmp_path / "fixed.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    (page,) = tmp_path.glob("page*.png")
    (code,) = zxingcpp.read_barcodes(Image.open(page))
    assert code.text == GOLDEN[name][2][0].payload
    assert code.bytes.decode("utf-8") == code.text, "UTF-8, as phones expect"
