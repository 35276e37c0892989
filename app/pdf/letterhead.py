"""Who issues a document: the lines at the top of every printed page, and the logo.

The lines come from the document template (app/services/document_settings.py): by
default the kingdom, the ministry, Entraide Nationale and the provincial delegation, the
last named from the centre's province in the shipped territory list. A line may hold
{province} and {centre}, filled in here.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.pdf.writer import PageWriter
from app.services.context import where
from app.services.document_settings import CENTRE, PROVINCE, document_template, province_names
from app.services.unit_of_work import UnitOfWork

LINE_HEIGHT = 12.0


@dataclass(frozen=True)
class Letterhead:
    """What the top of every page says about who issues the document."""

    province_ar: str
    province_fr: str
    header_ar: tuple[str, ...]
    header_fr: tuple[str, ...]
    centre_ar: str = ""
    centre_fr: str = ""
    #: The logo as PNG bytes, drawn by the documents that have room for it.
    logo_png: bytes | None = None

    def lines(self, writer: PageWriter, *, language: str) -> list[str]:
        """The issuer's lines, from the kingdom down, in ``language``."""
        french = language == "fr"
        province = self.province_fr if french else self.province_ar
        centre = (self.centre_fr or self.centre_ar) if french else self.centre_ar
        # Plain replacement, not str.format: a brace typed in a setting stays a brace.
        return [
            line.replace(PROVINCE, province).replace(CENTRE, centre)
            for line in (self.header_fr if french else self.header_ar)
        ]

    def draw(
        self, writer: PageWriter, *, language: str, x: float, top: float, width: float
    ) -> float:
        """The lines centred in a block ``width`` wide at ``x`` from the start edge, the
        first baseline 10 points under ``top``; returns the y under the last line."""
        y = top - 10
        for index, line in enumerate(self.lines(writer, language=language)):
            # The second line (the ministry's long name) is the one in regular weight,
            # so that it fits.
            writer.text(line, x=x, y=y, width=width, size=9, bold=index != 1, align="centre")
            y -= LINE_HEIGHT
        return y


def letterhead(uow: UnitOfWork) -> Letterhead:
    """The letterhead of this register's centre, from the document template."""
    template = document_template(uow)
    centre = where(uow.session).centre
    province_ar, province_fr = province_names(uow)
    return Letterhead(
        province_ar=province_ar,
        province_fr=province_fr,
        header_ar=template.header_ar,
        header_fr=template.header_fr,
        centre_ar=centre.name_ar,
        centre_fr=centre.name_fr or "",
        logo_png=template.logo_png,
    )
