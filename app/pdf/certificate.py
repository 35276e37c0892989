"""Printed certificates (شهادات): one A4 page each, Arabic, French, or both side by side.

A page carries the issuer's letterhead (and the logo, when the template has one), the
kind of certificate as its title, its serial, the person and what is certified, the
place and date of issue in Moroccan form ("حرر بتازة في 18 يوليوز 2025"), the
signature blocks of the template, and a QR code of the signed text that the delegation
reads back offline (app/services/certificates.py). A reprint says "duplicate".

Bilingual pages set the Arabic text in the right half and the French text in the left
half, block by block at the same heights, as on the bilingual forms of the
administration. The pages are drawn from prepared records only: the same records print
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.i18n import N_, format_date, isolated, ltr, translations
from app.pdf import arabic_text, fonts
from app.pdf.letterhead import Letterhead
from app.pdf.writer import PageWriter, document_canvas
from app.services.certificates import CertificateDocument
from app.services.document_settings import DocumentTemplate
from app.vocabulary import LABELS, CertificateKind, EventKind, ParticipantRole

DOCUMENT_TITLE = N_("Certificates")
SERIAL = N_("Certificate No.: {serial}")
DUPLICATE = N_("Duplicate")
WRITTEN = N_("Written at {place} on {date}")
SIGNATURE_AND_STAMP = N_("(signature and stamp)")
VERIFY = N_("Scan to check this certificate")
# TRANSLATORS: a labelled value on a certificate, e.g. "Programme: Sewing".
LABEL = N_("{label}:")
INTRO = N_("The administration of {centre} certifies that:")
FULL_NAME = N_("Full name")
BIRTH_DATE = N_("Birth date")
CIN = N_("National ID card number")
PROGRAMME = N_("Programme")
GROUP = N_("Group")
SEASON = N_("Season")
PERIOD = N_("Training period")
FROM_TO = N_("from {start} to {end}")
SINCE = N_("Enrolled since")
HOURS = N_("Hours followed")
MENTION = N_("Mention")
ACTIVITY = N_("Activity")
KIND_OF_ACTIVITY = N_("Kind of activity")
DATE = N_("Date")
VENUE = N_("Venue")
CAPACITY = N_("In the capacity of")
ORGANISATION = N_("Organisation")
# What the person did, by sex: Arabic agrees the verb with the person ("" when the
# register does not know it, as for a guest).
COMPLETED = {
    "F": N_("She has followed the training below to its end, successfully:"),
    "M": N_("He has followed the training below to its end, successfully:"),
}
ENROLLED = {
    "F": N_("She is enrolled at the centre and follows the training below:"),
    "M": N_("He is enrolled at the centre and follows the training below:"),
}
WAS_ENROLLED = {
    "F": N_("She was enrolled at the centre and followed the training below:"),
    "M": N_("He was enrolled at the centre and followed the training below:"),
}
TOOK_PART = {
    "F": N_("She took part in the activity below:"),
    "M": N_("He took part in the activity below:"),
    "": N_("Took part in the activity below:"),
}
CLOSING = {
    "F": N_("This certificate is given to her at her request, to serve as needed."),
    "M": N_("This certificate is given to him at his request, to serve as needed."),
    "": N_("This certificate is given to the person concerned, to serve as needed."),
}
# The mentions the centres write, in French on a French page; another mention is printed
# as it was typed.
MENTIONS_FR = {
    "مقبول": "Passable",
    "مستحسن": "Assez bien",
    "حسن": "Bien",
    "حسن جدا": "Très bien",
    "ممتاز": "Excellent",
}

# Direction isolates (app.i18n.ltr, isolated): LRI, RLI, FSI … PDI.
_OPENERS, _CLOSER = "\u2066\u2067\u2068", "\u2069"
_PUNCTUATION = frozenset(":;!?.،؛»")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 42.0
GUTTER = 26.0
HEADER_BLOCK = 210.0
LOGO_SIZE = 56.0
TITLE_BASELINE = PAGE_HEIGHT - 168
ROW = 25.0
PARAGRAPH_SIZE, LABEL_SIZE = 13.0, 11.5
# Under the signatories' titles, room for a signature and a stamp (about 4 cm).
SIGNATURES_TOP = 275.0
QR_SIZE, QR_BOTTOM = 100.0, 40.0
# Pixels per module of the QR code's picture: about 165 dots per inch on the page.
QR_PIXELS = 4
BILINGUAL_SCALE = 0.82
# Where a part drawn once is drawn, before it is moved to its place on each page.
FORM_BASELINE = 400.0


@dataclass(frozen=True)
class _Block:
    """A paragraph (``label`` empty) or a labelled value, in one language."""

    text: str
    label: str = ""
    size: float = PARAGRAPH_SIZE
    bold: bool = False


def _open_isolates(text: str) -> str:
    """The isolates ``text`` opens and leaves open, in order."""
    stack: list[str] = []
    for char in text:
        if char in _OPENERS:
            stack.append(char)
        elif char == _CLOSER and stack:
            stack.pop()
    return "".join(stack)


def _closed(line: str, carried: str) -> str:
    """A wrapped line whose isolates are whole: a name cut over two lines stays a name
    on each (the isolates opened on the line before are opened again, the ones left open
    are closed)."""
    text = carried + line
    return text + _CLOSER * len(_open_isolates(text))


def _sex(document: CertificateDocument) -> str:
    return document.sex if document.sex in ("F", "M") else ""


def _date(value: dt.date, language: str) -> str:
    return format_date(value, language=language)


def _blocks(document: CertificateDocument, *, language: str) -> list[_Block]:
    """What the page says, in ``language``, top to bottom. The Arabic and the French
    lists of one certificate have the same blocks in the same order."""
    translation = translations(language)
    t = translation.gettext
    french = language == "fr"
    sex = _sex(document)
    centre = (document.centre_name_fr if french else None) or document.centre_name_ar
    name = (document.holder_name_latin if french else None) or document.holder_name
    blocks = [
        _Block(t(INTRO).format(centre=isolated(centre))),
        _Block(isolated(name), t(FULL_NAME)),
    ]
    if document.birth_date is not None:
        blocks.append(_Block(_date(document.birth_date, language), t(BIRTH_DATE)))
    if document.cin:
        blocks.append(_Block(ltr(document.cin), t(CIN)))
    if document.organisation:
        blocks.append(_Block(isolated(document.organisation), t(ORGANISATION)))
    kind = document.kind
    if kind == CertificateKind.PARTICIPATION.value:
        title = (document.event_title_fr if french else None) or document.event_title_ar or ""
        blocks.append(_Block(t(TOOK_PART[sex])))
        blocks.append(_Block(isolated(title), t(ACTIVITY)))
        if document.event_kind:
            blocks.append(_Block(t(LABELS[EventKind(document.event_kind)]), t(KIND_OF_ACTIVITY)))
        if document.event_date is not None:
            blocks.append(_Block(_date(document.event_date, language), t(DATE)))
        if document.event_place:
            blocks.append(_Block(isolated(document.event_place), t(VENUE)))
        if document.role:
            blocks.append(_Block(t(LABELS[ParticipantRole(document.role)]), t(CAPACITY)))
    else:
        ended = document.end_date is not None
        if kind == CertificateKind.COMPLETION.value:
            statement = COMPLETED
        else:
            statement = WAS_ENROLLED if ended else ENROLLED
        programme = (document.programme_name_fr if french else document.programme_name_ar) or ""
        blocks.append(_Block(t(statement[sex or "F"])))
        blocks.append(_Block(isolated(programme), t(PROGRAMME)))
        if document.group_name and kind == CertificateKind.ATTENDANCE.value:
            blocks.append(_Block(isolated(document.group_name), t(GROUP)))
        blocks.append(_Block(ltr(document.season_label or ""), t(SEASON)))
        if document.start_date is not None and document.end_date is not None:
            period = t(FROM_TO).format(
                start=_date(document.start_date, language), end=_date(document.end_date, language)
            )
            blocks.append(_Block(period, t(PERIOD)))
        elif document.start_date is not None:
            blocks.append(_Block(_date(document.start_date, language), t(SINCE)))
        if document.hours is not None:
            hours = translation.ngettext("{n} hour", "{n} hours", document.hours)
            hours = hours.format(n=document.hours)
            blocks.append(_Block(hours, t(HOURS)))
        if document.mention:
            mention = MENTIONS_FR.get(document.mention, document.mention) if french else None
            blocks.append(_Block(isolated(mention or document.mention), t(MENTION), bold=True))
    blocks.append(_Block(t(CLOSING[sex]), size=10.5))
    return blocks


class _Pages:
    """The canvas and one writer per language of the page."""

    def __init__(
        self,
        canvas: Canvas,
        *,
        letterhead: Letterhead,
        template: DocumentTemplate,
        languages: Sequence[str],
    ) -> None:
        self.canvas, self.letterhead, self.template = canvas, letterhead, template
        self.languages = tuple(languages)
        self.writers = {language: PageWriter(canvas, language=language) for language in languages}
        self.logo = ImageReader(io.BytesIO(letterhead.logo_png)) if letterhead.logo_png else None
        self.full = PAGE_WIDTH - 2 * MARGIN
        # Parts drawn once and shown on every page that has them, by what they show.
        self.forms: dict[tuple[object, ...], str] = {}
        # Wrapped lines by (language, text, width): the paragraphs of a batch repeat.
        self.wrapped: dict[tuple[str, str, float, float, bool], list[str]] = {}
        # Half a page's width per language: the text of a bilingual page is set smaller.
        self.scale = BILINGUAL_SCALE if len(self.languages) > 1 else 1.0

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    def _columns(self) -> list[tuple[PageWriter, str, float, float]]:
        """(writer, language, x from that language's start edge, width) of each text
        column: one across the page, or Arabic on the right and French on the left."""
        if not self.bilingual:
            language = self.languages[0]
            return [(self.writers[language], language, MARGIN + 8, self.full - 16)]
        half = (self.full - GUTTER) / 2
        return [(self.writers[language], language, MARGIN, half) for language in self.languages]

    def draw(self, document: CertificateDocument) -> None:
        for writer in self.writers.values():
            writer.new_page(A4)
        self._stamp(("page",), self._static)
        y = self._body(document, top=self._title(document) - 34)
        top = min(SIGNATURES_TOP, self._written(document, y) - 26)
        self._stamp(("signatures",), self._signatures, dy=top - SIGNATURES_TOP)
        _draw_qr(self.canvas, document.payload, x=(PAGE_WIDTH - QR_SIZE) / 2, y=QR_BOTTOM)
        self.canvas.showPage()

    def _stamp(self, key: tuple[object, ...], draw: Callable[[], None], *, dy: float = 0) -> None:
        """What ``draw`` draws, moved up by ``dy``: drawn once into a form, then shown
        again wherever the same thing is needed. Most of a page (frame, letterhead,
        labels, signature blocks) is the same on every page of a batch: shaping it once
        keeps 500 certificates within seconds, and the file small."""
        name = self.forms.get(key)
        if name is None:
            name = self.forms[key] = f"CertificatePart{len(self.forms)}"
            self.canvas.beginForm(name)
            draw()
            self.canvas.endForm()
        self.canvas.saveState()
        self.canvas.translate(0, dy)
        self.canvas.doForm(name)
        self.canvas.restoreState()

    def _static(self) -> None:
        """What every page shows in the same place: frame, letterhead, logo, and the
        caption of the QR code."""
        self._frame()
        self._header()
        main = self.writers[self.languages[0]]
        caption = " / ".join(self.writers[lang].t(VERIFY) for lang in self.languages)
        main.text(caption, x=MARGIN, y=QR_BOTTOM - 11, width=self.full, size=7, align="centre")

    def _frame(self) -> None:
        canvas = self.canvas
        canvas.setLineWidth(1.6)
        canvas.rect(18, 18, PAGE_WIDTH - 36, PAGE_HEIGHT - 36, stroke=1, fill=0)
        canvas.setLineWidth(0.5)
        canvas.rect(23, 23, PAGE_WIDTH - 46, PAGE_HEIGHT - 46, stroke=1, fill=0)

    def _header(self) -> None:
        top = PAGE_HEIGHT - MARGIN
        for language in self.languages:
            writer = self.writers[language]
            y = self.letterhead.draw(
                writer, language=language, x=MARGIN, top=top, width=HEADER_BLOCK
            )
            french = language == "fr"
            centre = (self.letterhead.centre_fr if french else "") or self.letterhead.centre_ar
            writer.text(
                centre, x=MARGIN, y=y - 2, width=HEADER_BLOCK, size=9.5, bold=True, align="centre"
            )
        if self.logo is not None:
            self.canvas.drawImage(
                self.logo,
                (PAGE_WIDTH - LOGO_SIZE) / 2,
                top - LOGO_SIZE,
                LOGO_SIZE,
                LOGO_SIZE,
                mask="auto",
                preserveAspectRatio=True,
            )

    def _title(self, document: CertificateDocument) -> float:
        """The kind of certificate, its serial, and "duplicate" on a reprint; returns the
        baseline of the last of them."""
        y = TITLE_BASELINE
        label = LABELS[CertificateKind(document.kind)]
        for index, language in enumerate(self.languages):
            writer = self.writers[language]
            size = 24 if index == 0 else 16
            writer.text(
                writer.t(label),
                x=MARGIN,
                y=y,
                width=self.full,
                size=size,
                bold=True,
                align="centre",
            )
            y -= 28 if index == 0 else 22
        y -= 4
        for writer, _language, x, width in self._columns():
            text = writer.t(SERIAL).format(serial=ltr(document.serial))
            align = "start" if self.bilingual else "centre"
            writer.text(text, x=x, y=y, width=width, size=11.5, bold=True, align=align)
        if document.duplicate:
            main = self.writers[self.languages[0]]
            text = " / ".join(self.writers[lang].t(DUPLICATE) for lang in self.languages)
            box, y = 150.0, y - 24
            main.box(x=(self.full - box) / 2 + MARGIN, y=y - 6, width=box, height=20)
            main.text(
                text, x=(self.full - box) / 2 + MARGIN, y=y, width=box, size=11, bold=True,
                align="centre",
            )  # fmt: skip
        return y

    def _body(self, document: CertificateDocument, *, top: float) -> float:
        """The blocks of each column, side by side at the same heights; returns the y
        under the last one."""
        columns = self._columns()
        texts = [_blocks(document, language=language) for _w, language, _x, _width in columns]
        y = top
        for number, row in enumerate(zip(*texts, strict=True)):
            paragraph = not row[0].label
            if paragraph and number:
                y -= 6  # a paragraph stands a little apart from the values above it
            heights = []
            for (writer, _language, x, width), block in zip(columns, row, strict=True):
                lines = self._lay(writer, block, width)
                self._draw_block(writer, block, lines, x=x, y=y, width=width)
                heights.append((len(lines) - 1) * self._leading(block))
            # A paragraph takes a little more room than a labelled line.
            y -= ROW * self.scale + max(heights) + (4 if paragraph else 0)
        return y

    def _leading(self, block: _Block) -> float:
        return block.size * self.scale * 1.4

    def _label_width(self, width: float) -> float:
        return min(140.0, width * (0.42 if self.bilingual else 0.4))

    def _lay(self, writer: PageWriter, block: _Block, width: float) -> list[str]:
        """The block's lines, wrapped to the width left for them."""
        room = width - (self._label_width(width) if block.label else 0)
        key = (str(writer.rtl), block.text, block.size, room, block.bold)
        if key in self.wrapped:
            return self.wrapped[key]

        def fits(line: str) -> bool:
            shown = arabic_text.visual(_closed(line, ""), rtl=writer.rtl)
            size = block.size * self.scale
            return fonts.width(shown, size, rtl=writer.rtl, bold=block.bold) <= room

        # Most values fit on one line: one measure instead of one per word.
        wrapped = [block.text] if fits(block.text) else arabic_text.wrap(block.text, fits=fits)
        # French puts a space before a colon: the colon stays with its word.
        for index in range(len(wrapped) - 1, 0, -1):
            if all(char in _PUNCTUATION for char in wrapped[index]):
                wrapped[index - 1] += " " + wrapped.pop(index)
        lines, carried = [], ""
        for line in wrapped:
            lines.append(_closed(line, carried))
            carried = _open_isolates(carried + line)
        self.wrapped[key] = lines or [""]
        return self.wrapped[key]

    def _draw_block(
        self,
        writer: PageWriter,
        block: _Block,
        lines: list[str],
        *,
        x: float,
        y: float,
        width: float,
    ) -> None:
        if block.label:
            label_width = self._label_width(width)
            text = writer.t(LABEL).format(label=block.label)

            def label() -> None:
                writer.text(
                    text,
                    x=x,
                    y=FORM_BASELINE,
                    width=label_width - 6,
                    size=LABEL_SIZE * self.scale,
                    bold=True,
                )

            self._stamp(("label", writer.rtl, text, x), label, dy=y - FORM_BASELINE)
            x, width = x + label_width, width - label_width
        for line in lines:
            size = block.size * self.scale
            writer.text(line, x=x, y=y, width=width, size=size, bold=block.bold)
            y -= self._leading(block)

    def _written(self, document: CertificateDocument, y: float) -> float:
        """ "Written at … on …" under the text; returns its baseline."""
        baseline = min(y - 6, SIGNATURES_TOP + 30)
        for writer, language, x, width in self._columns():
            place = document.place_fr if language == "fr" else document.place_ar
            text = writer.t(WRITTEN).format(
                place=place, date=format_date(document.issued_on, language=language)
            )
            align = "start" if self.bilingual else "end"
            writer.text(text, x=x, y=baseline, width=width, size=11.5, bold=True, align=align)
        return baseline

    def _signatures(self) -> None:
        """A block per signatory across the page, the first at the start edge of the
        page's first language; each title in every language of the page."""
        signatories = self.template.signatories
        width = self.full / len(signatories)
        first = self.writers[self.languages[0]]
        for index, signatory in enumerate(signatories):
            # The block's left edge on the page, then its x from each writer's start edge.
            left = first.page_x(MARGIN + index * width, width)
            y = SIGNATURES_TOP
            for language in self.languages:
                writer = self.writers[language]
                x = PAGE_WIDTH - left - width if writer.rtl else left
                writer.text(
                    signatory.title(language), x=x + 6, y=y, width=width - 12, size=10.5,
                    bold=True, align="centre",
                )  # fmt: skip
                y -= 14
            x = PAGE_WIDTH - left - width if first.rtl else left
            first.text(
                first.t(SIGNATURE_AND_STAMP), x=x + 6, y=y, width=width - 12, size=7.5,
                align="centre",
            )  # fmt: skip


def _draw_qr(canvas: Canvas, payload: str, *, x: float, y: float) -> None:
    """The QR code of ``payload`` (medium error correction: a stamp or a fold over a
    corner still reads), drawn as a picture: a few kilobytes, where the same code drawn
    as rectangles costs hundreds of path operators a page. Each module is several pixels
    wide, so a viewer that smooths enlarged pictures still shows sharp edges."""
    import zxingcpp
    from PIL import Image

    # UTF-8 with its ECI mark: readers that know ECI are told, the others guess UTF-8 from
    # valid UTF-8 (left alone, the encoder picks ISO-8859-6 for Arabic, which phones
    # ignoring the mark show as Latin gibberish).
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M", eci="UTF8")
    modules = code.to_image(scale=QR_PIXELS, add_quiet_zones=False)
    rows, columns = modules.shape
    picture = Image.frombytes("L", (columns, rows), bytes(memoryview(modules)))
    canvas.drawImage(ImageReader(picture), x, y, QR_SIZE, QR_SIZE)


def render(
    documents: Sequence[CertificateDocument],
    *,
    letterhead: Letterhead,
    template: DocumentTemplate,
    language: str,
    bilingual: bool = False,
) -> bytes:
    """One PDF with a page per certificate. ``bilingual`` sets Arabic and French side by
    side (``language`` then only orders the titles: the first is the larger)."""
    buffer = io.BytesIO()
    languages = (language, "fr" if language == "ar" else "ar") if bilingual else (language,)
    canvas = document_canvas(
        buffer, language=language, title=translations(language).gettext(DOCUMENT_TITLE)
    )
    pages = _Pages(canvas, letterhead=letterhead, template=template, languages=languages)
    for document in documents:
        pages.draw(document)
    canvas.save()
    return buffer.getvalue()
