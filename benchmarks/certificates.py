"""Certificates: 500 end of training certificates issued and printed in one PDF.

Measured: what ``sijill pdf certificate --group G`` does, group after group of last
season until at least 500 graduates: their attendance read and their hours counted,
serials given, each certificate's text signed (Ed25519) and recorded through the unit of
work, then every page drawn (letterhead, shaped Arabic, QR code) into one PDF. The keys
are unlocked before the clock starts, as a person types the passphrase once. Baseline: a
plain ReportLab PDF of as many pages with the same number of text lines. Target: under
10 s for 500.

The demo register of the other benchmarks holds one month of attendance and no graduate
yet, so this one builds its own (a demo centre of 1,300 people over two seasons, a few
seconds, not timed) in a temporary folder.

Ceiling for --quick (the same 1,300-person register in both modes), measured 2026-11-22
on the 2-core dev box while other work shared it, about 5× the ratio measured: 12×
(5.6 s for 515); ceiling 60×.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from app.models import Enrolment, Group
from app.services import certificates, demo, keys
from app.services.centres import initialise_centre
from app.services.context import season_id
from app.services.register import open_register
from app.services.unit_of_work import UnitOfWork
from benchmarks import Figure

TODAY = dt.date(2026, 11, 22)
CERTIFICATES = 500
PEOPLE = 1_300
PASSPHRASE = "benchmark passphrase"


def measure() -> Figure:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from app.pdf import certificate
    from app.pdf.letterhead import letterhead
    from app.services.document_settings import document_template

    with tempfile.TemporaryDirectory() as folder:
        register = open_register(str(Path(folder) / "centre.sqlite"))
        try:
            with register.unit_of_work() as uow:
                initialise_centre(
                    uow,
                    code="ETF-TAZA-01",
                    name="مركز التربية والتكوين الأمل",
                    kind="education_training",
                    province_code="03.561",
                    today=TODAY,
                )
            demo.create_demo(register, seed=1, beneficiaries=PEOPLE, months=15, today=TODAY)
            with register.unit_of_work() as uow:
                keys.unlock(uow, passphrase=PASSPHRASE)
                groups = _last_season_groups(uow)

            with register.unit_of_work() as uow:
                signer = keys.unlock(uow, passphrase=PASSPHRASE)
                begin = time.perf_counter()
                documents: list[certificates.CertificateDocument] = []
                for group in groups:
                    if len(documents) >= CERTIFICATES:
                        break
                    issued = certificates.issue_for_group(
                        uow, signer, group=group, season="2025-2026", today=TODAY
                    )
                    documents += issued.documents
                data = certificate.render(
                    documents,
                    letterhead=letterhead(uow),
                    template=document_template(uow),
                    language="ar",
                )
            # The commit is timed too: the certificates are recorded with their PDF.
            value = (time.perf_counter() - begin) * 1000
        finally:
            register.close()

    begin = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=A4)
    for page in range(len(documents)):
        for line in range(30):
            canvas.drawString(60, 780 - line * 22, f"{page} {line} Lorem ipsum dolor sit amet")
        canvas.showPage()
    canvas.save()
    baseline = (time.perf_counter() - begin) * 1000
    return Figure(
        name=f"{len(documents)} end of training certificates issued and printed in one PDF",
        value_ms=value,
        baseline_ms=baseline,
        baseline=f"plain {len(documents)}-page ReportLab PDF",
        target_ms=10_000.0,
        target_size=CERTIFICATES,
        measured_size=len(documents),
        quick_ceiling=60.0,
        details=f"{len(documents)} pages, {len(data) // 1024} KB; signed, recorded, "
        f"QR codes drawn; passphrase opened before timing",
    )


def _last_season_groups(uow: UnitOfWork) -> list[str]:
    """Last season's groups with graduates, the largest first."""
    rows = uow.session.execute(
        select(Group.id, func.count(Enrolment.id))
        .join(Enrolment, Enrolment.group_id == Group.id)
        .where(Group.season_id == season_id("2025-2026"), Enrolment.status == "completed")
        .group_by(Group.id)
        .order_by(func.count(Enrolment.id).desc())
    ).all()
    return [str(group_id) for group_id, _count in rows]
