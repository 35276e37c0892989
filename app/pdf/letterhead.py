"""Who issues a document: the lines at the top of every printed page.

The kingdom, the ministry, Entraide Nationale and the provincial delegation, the last
named from the centre's province in the shipped territory list.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import N_
from app.pdf.writer import PageWriter
from app.services.context import where
from app.services.overview import list_provinces
from app.services.unit_of_work import UnitOfWork

KINGDOM = N_("Kingdom of Morocco")
MINISTRY = N_("Ministry of Solidarity, Social Inclusion and Family")
ENTRAIDE = N_("Entraide Nationale")
DELEGATION = N_("Provincial delegation of {province}")
LINE_HEIGHT = 12.0


@dataclass(frozen=True)
class Letterhead:
    """What the top of every page says about who issues the document."""

    province_ar: str
    province_fr: str

    def lines(self, writer: PageWriter, *, language: str) -> list[str]:
        """The issuer's lines, from the kingdom down, in ``language``."""
        t = writer.t
        province = self.province_fr if language == "fr" else self.province_ar
        return [t(KINGDOM), t(MINISTRY), t(ENTRAIDE), t(DELEGATION).format(province=province)]

    def draw(
        self, writer: PageWriter, *, language: str, x: float, top: float, width: float
    ) -> float:
        """The lines centred in a block ``width`` wide at ``x`` from the start edge, the
        first baseline 10 points under ``top``; returns the y under the last line."""
        y = top - 10
        for index, line in enumerate(self.lines(writer, language=language)):
            # The ministry's long name is the one line in regular weight, so it fits.
            writer.text(line, x=x, y=y, width=width, size=9, bold=index != 1, align="centre")
            y -= LINE_HEIGHT
        return y


def letterhead(uow: UnitOfWork) -> Letterhead:
    """The letterhead of this register's centre: its province names the delegation."""
    code = where(uow.session).centre.province_code
    unit = next((p for p in list_provinces(uow) if p.code == code), None)
    return Letterhead(unit.name_ar if unit else code, unit.name_fr if unit else code)
