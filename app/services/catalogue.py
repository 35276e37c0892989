"""The programme catalogue a new centre starts with, by kind of centre.

The delegation can push its own catalogue later (reference bundles); these entries carry
stable codes, so their UUIDv5 ids are the same at every centre and merge into one row.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.vocabulary import CentreKind


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name_ar: str
    name_fr: str
    planned_hours: int | None
    min_age: int | None
    max_age: int | None


_TRAINING = (
    CatalogueEntry("EFT-COU", "الخياطة", "Couture", 480, 15, None),
    CatalogueEntry("EFT-FAS", "الفصالة", "Coupe", 480, 15, None),
    CatalogueEntry("EFT-BRO", "الطرز", "Broderie", 480, 15, None),
    CatalogueEntry("EFT-COI", "الحلاقة والتجميل", "Coiffure et esthétique", 480, 15, None),
    CatalogueEntry("EFT-CUI", "الطبخ والحلويات", "Cuisine et pâtisserie", 360, 15, None),
    CatalogueEntry("EFT-ALP", "محو الأمية", "Alphabétisation", 200, 15, None),
)

CATALOGUE: dict[CentreKind, tuple[CatalogueEntry, ...]] = {
    CentreKind.EDUCATION_TRAINING: _TRAINING,
    CentreKind.APPRENTICESHIP: (
        CatalogueEntry("APP-COU", "الخياطة العصرية", "Couture moderne", 800, 15, 30),
        CatalogueEntry("APP-COI", "الحلاقة", "Coiffure", 800, 15, 30),
        CatalogueEntry("APP-PAT", "الحلويات", "Pâtisserie", 800, 15, 30),
        CatalogueEntry("APP-INF", "المعلوميات", "Informatique", 600, 15, 30),
    ),
    CentreKind.KINDERGARTEN: (
        CatalogueEntry(
            "KG-PS", "التعليم الأولي - السنة الأولى", "Préscolaire, 1re année", 900, 3, 5
        ),
        CatalogueEntry(
            "KG-MS", "التعليم الأولي - السنة الثانية", "Préscolaire, 2e année", 900, 4, 6
        ),
    ),
    CentreKind.LITERACY: (
        CatalogueEntry(
            "ALP-N1", "محو الأمية - المستوى الأول", "Alphabétisation, niveau 1", 200, 15, None
        ),
        CatalogueEntry(
            "ALP-N2", "محو الأمية - المستوى الثاني", "Alphabétisation, niveau 2", 200, 15, None
        ),
        CatalogueEntry("ALP-PA", "ما بعد محو الأمية", "Post-alphabétisation", 200, 15, None),
    ),
    CentreKind.STUDENT_HOUSE: (
        CatalogueEntry("DT-HEB", "الإيواء والإطعام", "Hébergement et restauration", None, 11, 21),
        CatalogueEntry("DT-SOU", "الدعم المدرسي", "Soutien scolaire", 300, 11, 21),
    ),
    CentreKind.SOCIAL_PROTECTION: (
        CatalogueEntry("RS-ACC", "الإيواء والتكفل", "Accueil et prise en charge", None, None, None),
        CatalogueEntry(
            "RS-ANI", "التنشيط السوسيو تربوي", "Animation socio-éducative", 200, None, None
        ),
    ),
    CentreKind.DISABILITY: (
        CatalogueEntry("HAN-KIN", "الترويض الطبي", "Kinésithérapie", 150, None, None),
        CatalogueEntry("HAN-ORT", "تقويم النطق", "Orthophonie", 150, None, None),
        CatalogueEntry("HAN-EDS", "التربية الخاصة", "Éducation spécialisée", 600, 3, 25),
        CatalogueEntry("HAN-PSM", "العلاج النفسي الحركي", "Psychomotricité", 150, None, None),
    ),
    CentreKind.CITIZEN_HOUSE: (
        CatalogueEntry("DM-ECO", "الإنصات والتوجيه", "Écoute et orientation", None, None, None),
        CatalogueEntry("DM-SEN", "التحسيس والتوعية", "Sensibilisation", 60, None, None),
        CatalogueEntry("DM-INF", "الإعلاميات للجميع", "Informatique pour tous", 120, 12, None),
    ),
}
