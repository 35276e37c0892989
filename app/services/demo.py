"""The demo centre: a realistic, reproducible register to try Sijill on, test and benchmark.

``create_demo`` fills a centre (setting one up first on a blank register) with people,
staff, groups, sessions, attendance, outcomes, follow-ups and events over the months up
to ``today``. Everything comes from ``random.Random(seed)`` and the given ``today``, never
from the clock: the same seed and day always give the same records, byte for byte in
``sijill dump --json``. Rows go through the unit of work's bulk path in batches, so every
one is in the change log and memory stays bounded at 100,000 people.

The people are shaped to look like a real Moroccan centre's register: Arabic names with
their ID-card Latin spelling (with the hamza and ta-marbuta spellings people really type),
ages that fit the programme, a guardian for every minor, CINs unique within the centre,
attendance that is mostly regular with a minority drifting into absence and dropping out.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.i18n import _
from app.models import (
    Attendance,
    Beneficiary,
    Enrolment,
    Event,
    EventParticipant,
    FollowUp,
    Group,
    Session,
    Site,
    Staff,
    Synced,
    TerritoryUnit,
)
from app.models.ids import natural_id, seeded_id
from app.services import validation
from app.services.calendar import holidays_between, months_before
from app.services.centres import ensure_season, initialise_centre, list_programmes
from app.services.context import season_bounds, season_label_for, where
from app.services.errors import FieldError, InputRejected
from app.services.records import ProgrammeRecord
from app.services.register import Register
from app.services.unit_of_work import UnitOfWork
from app.vocabulary import (
    AttendanceStatus,
    CentreKind,
    EnrolmentStatus,
    EventKind,
    FollowUpOutcome,
    ParticipantRole,
    SessionStatus,
    StaffRole,
    Weekday,
)

# -- the calendar ------------------------------------------------------------------------

# July and August are the summer break (a season ends on 30 June anyway).
SUMMER_BREAK_MONTHS = frozenset({7, 8})


@functools.cache
def _holidays_of(year: int) -> frozenset[dt.date]:
    # The demo centre follows the Umm al-Qura dates (offset 0), like a new register.
    return frozenset(holidays_between(dt.date(year, 1, 1), dt.date(year, 12, 31), offset=0))


def is_holiday(day: dt.date) -> bool:
    """True on a public holiday (fixed or Islamic) or during the summer break: no session
    that day."""
    return day in _holidays_of(day.year) or day.month in SUMMER_BREAK_MONTHS


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _unix_ms(day: dt.date) -> int:
    """Midnight UTC of ``day``: the time part of the ids of rows born that day."""
    return (day - dt.date(1970, 1, 1)).days * 86_400_000


# -- names and places --------------------------------------------------------------------
# (Arabic, Latin as written on the national ID card). Spellings with hamza (أ إ آ ؤ ئ),
# ta marbuta and alif maqsura are there on purpose: search must fold them.

FEMALE_NAMES: tuple[tuple[str, str], ...] = (
    ("فاطمة", "FATIMA"),
    ("فاطمة الزهراء", "FATIMA ZAHRA"),
    ("خديجة", "KHADIJA"),
    ("عائشة", "AICHA"),
    ("مريم", "MERYEM"),
    ("زينب", "ZINEB"),
    ("أمينة", "AMINA"),
    ("نادية", "NADIA"),
    ("سعاد", "SOUAD"),
    ("حنان", "HANANE"),
    ("إيمان", "IMANE"),
    ("أسماء", "ASMAE"),
    ("سناء", "SANAE"),
    ("هدى", "HOUDA"),
    ("ليلى", "LAILA"),
    ("نعيمة", "NAIMA"),
    ("رشيدة", "RACHIDA"),
    ("مليكة", "MALIKA"),
    ("لطيفة", "LATIFA"),
    ("حليمة", "HALIMA"),
    ("الزهرة", "ZAHRA"),
    ("كريمة", "KARIMA"),
    ("سميرة", "SAMIRA"),
    ("نزهة", "NEZHA"),
    ("وفاء", "WAFAE"),
    ("هند", "HIND"),
    ("سلمى", "SALMA"),
    ("ياسمين", "YASMINE"),
    ("إكرام", "IKRAM"),
    ("ابتسام", "IBTISSAM"),
    ("بشرى", "BOUCHRA"),
    ("سكينة", "SOUKAINA"),
    ("غزلان", "GHIZLANE"),
    ("هاجر", "HAJAR"),
    ("سهام", "SIHAM"),
    ("نوال", "NAOUAL"),
    ("لبنى", "LOUBNA"),
    ("منى", "MOUNA"),
    ("رجاء", "RAJAE"),
    ("صفاء", "SAFAE"),
    ("دنيا", "DOUNIA"),
    ("شيماء", "CHAIMAE"),
    ("أميمة", "OUMAIMA"),
    ("مروة", "MAROUA"),
    ("كوثر", "KAOUTAR"),
    ("حياة", "HAYAT"),
    ("جميلة", "JAMILA"),
    ("عزيزة", "AZIZA"),
    ("زهور", "ZHOUR"),
    ("يامنة", "YAMNA"),
    ("رقية", "ROKIA"),
    ("إلهام", "ILHAM"),
    ("فدوى", "FADOUA"),
    ("نجاة", "NAJAT"),
    ("سعيدة", "SAIDA"),
    ("حفيظة", "HAFIDA"),
    ("مينة", "MINA"),
    ("رحمة", "RAHMA"),
    ("سلوى", "SALOUA"),
    ("خولة", "KHAOULA"),
    ("آمنة", "AMNA"),
    ("لمياء", "LAMIAE"),
    ("وئام", "OUIAM"),
    ("هبة", "HIBA"),
    ("نهى", "NOUHA"),
    ("آسية", "ASSIA"),
    ("إحسان", "IHSSANE"),
    ("سارة", "SARA"),
    ("نورة", "NOURA"),
    ("ربيعة", "RABIA"),
    ("فتيحة", "FATIHA"),
    ("زكية", "ZAKIA"),
    ("بهيجة", "BAHIJA"),
    ("عتيقة", "ATIKA"),
)

MALE_NAMES: tuple[tuple[str, str], ...] = (
    ("محمد", "MOHAMED"),
    ("أحمد", "AHMED"),
    ("يوسف", "YOUSSEF"),
    ("عبد الله", "ABDELLAH"),
    ("عبد الرحيم", "ABDERRAHIM"),
    ("عبد الإله", "ABDELILAH"),
    ("مصطفى", "MUSTAPHA"),
    ("إبراهيم", "BRAHIM"),
    ("حسن", "HASSAN"),
    ("الحسين", "HOUCINE"),
    ("عمر", "OMAR"),
    ("علي", "ALI"),
    ("خالد", "KHALID"),
    ("رشيد", "RACHID"),
    ("سعيد", "SAID"),
    ("هشام", "HICHAM"),
    ("نبيل", "NABIL"),
    ("كريم", "KARIM"),
    ("أيوب", "AYOUB"),
    ("إسماعيل", "ISMAIL"),
    ("أنس", "ANAS"),
    ("زكرياء", "ZAKARIA"),
    ("حمزة", "HAMZA"),
    ("المهدي", "MEHDI"),
    ("ياسين", "YASSINE"),
    ("عثمان", "OTHMANE"),
    ("بلال", "BILAL"),
    ("إدريس", "DRISS"),
    ("عادل", "ADIL"),
    ("مراد", "MOURAD"),
    ("نور الدين", "NOUREDDINE"),
    ("عبد الرزاق", "ABDERRAZAK"),
    ("سفيان", "SOUFIANE"),
    ("إلياس", "ILYAS"),
    ("مؤمن", "MOUMEN"),
    ("مصطفى", "MUSTAFA"),
)

FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("العلوي", "ALAOUI"),
    ("بنعلي", "BENALI"),
    ("الإدريسي", "EL IDRISSI"),
    ("الفاسي", "EL FASSI"),
    ("بنجلون", "BENJELLOUN"),
    ("التازي", "TAZI"),
    ("الصقلي", "SQALLI"),
    ("بناني", "BENNANI"),
    ("برادة", "BERRADA"),
    ("الشرايبي", "CHRAIBI"),
    ("العمراني", "EL AMRANI"),
    ("الزياني", "EZZIANI"),
    ("الحسني", "EL HASSANI"),
    ("الكتاني", "EL KETTANI"),
    ("المرابط", "EL MRABET"),
    ("الوزاني", "OUAZZANI"),
    ("الطاهري", "TAHIRI"),
    ("البقالي", "BAKKALI"),
    ("الرحموني", "RAHMOUNI"),
    ("الخطابي", "EL KHATTABI"),
    ("بوزيد", "BOUZID"),
    ("بنسعيد", "BENSAID"),
    ("بنموسى", "BENMOUSSA"),
    ("بنعبد الله", "BENABDELLAH"),
    ("الصديقي", "SEDDIKI"),
    ("الغزواني", "GHAZOUANI"),
    ("اليعقوبي", "EL YACOUBI"),
    ("الحمداوي", "HAMDAOUI"),
    ("العثماني", "EL OTHMANI"),
    ("الأنصاري", "EL ANSARI"),
    ("المنصوري", "EL MANSOURI"),
    ("الشاوي", "CHAOUI"),
    ("الريفي", "RIFFI"),
    ("السوسي", "SOUSSI"),
    ("الدكالي", "DOUKKALI"),
    ("الزروالي", "ZEROUALI"),
    ("الجبلي", "EL JEBLI"),
    ("القادري", "EL KADIRI"),
    ("العزوزي", "AZZOUZI"),
    ("الشرقاوي", "CHARKAOUI"),
    ("الغرباوي", "GHARBAOUI"),
    ("المريني", "MERINI"),
    ("الهواري", "HOUARI"),
    ("الودغيري", "OUDGHIRI"),
    ("بوعزة", "BOUAZZA"),
    ("أمزيان", "AMZIANE"),
    ("أوعلي", "OUALI"),
    ("أيت علي", "AIT ALI"),
    ("آيت بلعيد", "AIT BELAID"),
    ("أيت منصور", "AIT MANSOUR"),
    ("أزناك", "AZNAG"),
    ("أمغار", "AMGHAR"),
    ("أكنوش", "AKNOUCH"),
    ("بلقاسم", "BELKACEM"),
    ("بلحاج", "BELHAJ"),
    ("بلفقيه", "BELFKIH"),
    ("بنكيران", "BENKIRANE"),
    ("بنشقرون", "BENCHEKROUN"),
    ("بوطالب", "BOUTALEB"),
    ("الزهراوي", "ZAHRAOUI"),
    ("الصباغ", "SEBBAGH"),
    ("الحداد", "HADDAD"),
    ("النجار", "NAJJAR"),
    ("الخياط", "EL KHAYAT"),
    ("العطار", "ATTAR"),
    ("الفلاح", "FELLAH"),
    ("الوافي", "EL OUAFI"),
    ("الراشدي", "RACHIDI"),
    ("السعيدي", "SAIDI"),
    ("الكريمي", "KARIMI"),
    ("المحمدي", "EL MOHAMMADI"),
    ("الحسيني", "HOUSSAINI"),
    ("التهامي", "TOUHAMI"),
    ("المسعودي", "MESSAOUDI"),
    ("بنحدو", "BENHADDOU"),
    ("بنعيسى", "BENAISSA"),
    ("الطالبي", "TALBI"),
    ("الوردي", "EL OUARDI"),
    ("لحلو", "LAHLOU"),
    ("مرزوق", "MARZOUK"),
    ("السلاوي", "SLAOUI"),
    ("المكناسي", "MEKNASSI"),
    ("الفيلالي", "FILALI"),
    ("الأزهري", "EL AZHARI"),
    ("الإسماعيلي", "ISMAILI"),
    ("الإبراهيمي", "EL IBRAHIMI"),
    ("المؤذن", "EL MOUDDEN"),
    ("الزيتوني", "ZITOUNI"),
    ("بوكيلي", "BOUKILI"),
    ("الشفشاوني", "CHEFCHAOUNI"),
    ("الجزولي", "JAZOULI"),
    ("البركاني", "BERKANI"),
    ("العيساوي", "AISSAOUI"),
    ("العمري", "EL OMARI"),
    ("بنعمر", "BENAMAR"),
    ("الغماري", "GHOMARI"),
    ("الهلالي", "HILALI"),
    ("ضريف", "DARIF"),
    ("الصحراوي", "SAHRAOUI"),
)

_QUARTERS = (
    "حي القدس",
    "حي المسيرة",
    "حي الوحدة",
    "حي السعادة",
    "حي الأمل",
    "حي النهضة",
    "حي الرشاد",
    "حي المسجد",
    "حي الكندي",
    "المدينة القديمة",
    "حي الفتح",
    "حي الانبعاث",
)
_DOUARS = (
    "أولاد علي",
    "الشرفاء",
    "آيت سعيد",
    "العين",
    "بوحلو",
    "أولاد عزوز",
    "الكاف",
    "تيزي",
    "أولاد بوزيان",
    "المرجة",
    "بني لنت",
    "الخربة",
)
# ID card letters: mostly this region's, some from where people moved from.
_CIN_PREFIXES = ("Z", "Z", "Z", "ZT", "ZT", "ZG", "C", "CD", "A", "AB", "BK", "D", "F", "G", "K")

# Why people leave; the first ones are a child's reasons too.
DROPOUT_REASONS = (
    "الانتقال إلى مدينة أخرى",
    "ظروف عائلية",
    "المرض",
    "بعد المسكن عن المركز",
    "صعوبة التنقل من الدوار",
    "الزواج",
    "الحصول على عمل",
    "رعاية الأطفال",
    "الالتحاق بالتكوين المهني",
    "عدم التوفيق بين العمل والتكوين",
)
_CHILD_REASONS = 5
# Kinds of centre whose graduates are followed into work or further training.
_FOLLOWED_KINDS = frozenset(
    {
        CentreKind.EDUCATION_TRAINING.value,
        CentreKind.APPRENTICESHIP.value,
        CentreKind.LITERACY.value,
    }
)
# Mentions from the lowest to the highest, picked by attendance.
MENTIONS = ("مستحسن", "حسن", "حسن جدا", "ممتاز")
_NOTES = (
    "أم لثلاثة أطفال",
    "تسكن بعيدا عن المركز",
    "أرملة تعيل أسرتها",
    "ترغب في إنشاء تعاونية",
    "تحتاج إلى شهادة للتسجيل في تعاونية",
)
_CANCEL_REASONS = (
    "غياب المؤطرة لأسباب صحية",
    "أشغال بالقاعة",
    "انقطاع التيار الكهربائي",
    "اجتماع بالمندوبية الإقليمية",
)

# Where graduates went: outcome → (organisations, details).
_FOLLOW_UPS: dict[FollowUpOutcome, tuple[tuple[str | None, ...], tuple[str, ...]]] = {
    FollowUpOutcome.JOB: (
        (
            "وحدة النسيج الأطلس",
            "مشغل الخياطة الأمل",
            "صالون التجميل ياسمين",
            "مطعم الوفاء",
            "شركة الشمال للنسيج",
        ),
        ("عقد عمل لمدة سنة", "عمل موسمي", "عمل بدوام جزئي"),
    ),
    FollowUpOutcome.COOPERATIVE: (
        (
            "تعاونية النهضة للخياطة والطرز",
            "تعاونية الأمل النسوية",
            "تعاونية نساء الأطلس للمنتوجات المحلية",
        ),
        ("عضوة مؤسسة", "انخراط في التعاونية"),
    ),
    FollowUpOutcome.OWN_BUSINESS: (
        ("ورشة خياطة بالمنزل", "محل حلاقة وتجميل", "مشروع حلويات منزلية"),
        ("بدعم من المبادرة الوطنية للتنمية البشرية", "بتمويل ذاتي", "قرض صغير"),
    ),
    FollowUpOutcome.FURTHER_TRAINING: (
        ("مكتب التكوين المهني وإنعاش الشغل", "معهد التكنولوجيا التطبيقية", "مركز التأهيل المهني"),
        ("تكوين تأهيلي", "تكوين بالتدرج المهني"),
    ),
    FollowUpOutcome.SEEKING: (
        (None, "الوكالة الوطنية لإنعاش التشغيل والكفاءات"),
        ("في طور البحث عن عمل", "التسجيل بالوكالة الوطنية لإنعاش التشغيل والكفاءات"),
    ),
}
_FOLLOW_UP_WEIGHTS = (25, 20, 20, 15, 20)


@dataclass(frozen=True)
class _EventIdea:
    kind: EventKind
    title_ar: str
    title_fr: str
    # A day of the year for world and national days; None for a talk on any day.
    day: tuple[int, int] | None
    speaker: str
    organisation: str


_EVENTS = (
    _EventIdea(
        EventKind.AWARENESS_DAY,
        "يوم تحسيسي حول سرطان الثدي وعنق الرحم",
        "Journée de sensibilisation au cancer du sein et du col de l'utérus",
        (10, 20),
        "الدكتورة نادية بنعلي",
        "المندوبية الإقليمية للصحة",
    ),
    _EventIdea(
        EventKind.SEMINAR,
        "ندوة بمناسبة اليوم الوطني للمرأة المغربية",
        "Séminaire, journée nationale de la femme marocaine",
        (10, 10),
        "الأستاذة سعاد العلوي",
        "جمعية النهوض بأوضاع المرأة",
    ),
    _EventIdea(
        EventKind.AWARENESS_DAY,
        "الاحتفاء باليوم العالمي للمرأة",
        "Journée internationale des droits des femmes",
        (3, 8),
        "الأستاذة مليكة الفاسي",
        "المجلس الجماعي",
    ),
    _EventIdea(
        EventKind.AWARENESS_DAY,
        "يوم تحسيسي حول محاربة العنف ضد النساء",
        "Journée de sensibilisation contre les violences faites aux femmes",
        (11, 25),
        "الأستاذ محمد الإدريسي",
        "خلية التكفل بالنساء ضحايا العنف",
    ),
    _EventIdea(
        EventKind.AWARENESS_DAY,
        "يوم تحسيسي حول السلامة الطرقية",
        "Journée de sensibilisation à la sécurité routière",
        (2, 18),
        "السيد رشيد التازي",
        "الوكالة الوطنية للسلامة الطرقية",
    ),
    _EventIdea(
        EventKind.SEMINAR,
        "ندوة حول التمكين الاقتصادي للمرأة والعمل التعاوني",
        "Séminaire : autonomisation économique des femmes et coopératives",
        None,
        "السيد عبد الإله بنموسى",
        "مكتب تنمية التعاون",
    ),
    _EventIdea(
        EventKind.SEMINAR,
        "ندوة حول مدونة الأسرة",
        "Séminaire sur le Code de la famille",
        None,
        "الأستاذة خديجة الوزاني",
        "قسم قضاء الأسرة بالمحكمة الابتدائية",
    ),
)

# Share of women by kind of centre: training centres are mostly for girls and women.
_FEMALE_SHARE = {
    CentreKind.EDUCATION_TRAINING.value: 0.9,
    CentreKind.LITERACY.value: 0.85,
    CentreKind.APPRENTICESHIP.value: 0.6,
    CentreKind.CITIZEN_HOUSE.value: 0.65,
}
# How often a centre opens a group of each programme; 1 for codes not named.
_PROGRAMME_WEIGHTS = {
    "EFT-COU": 3,
    "EFT-FAS": 1.5,
    "EFT-BRO": 1.5,
    "EFT-COI": 1.5,
    "EFT-CUI": 1.5,
    "EFT-ALP": 1,
}
_SCHEDULES = (
    (("mon", "wed"), 2),
    (("tue", "thu"), 2),
    (("wed", "fri"), 1),
    (("mon", "thu"), 1),
    (("mon", "wed", "fri"), 4),
    (("tue", "thu", "sat"), 3),
    (("mon", "tue", "wed"), 2),
    (("wed", "thu", "fri"), 2),
    (("mon", "tue", "wed", "thu"), 2),
    (("tue", "wed", "thu", "fri"), 1),
    (("mon", "tue", "thu", "fri"), 1),
)
_SCHEDULE_DAYS = [days for days, _weight in _SCHEDULES]
_SCHEDULE_WEIGHTS = [weight for _days, weight in _SCHEDULES]
_TRADE_HOURS = ("09:00-12:00", "14:00-17:00", "09:30-12:30", "14:30-17:30")
_LITERACY_HOURS = ("09:00-11:00", "15:00-17:00", "16:00-18:00")

GROUP_SIZE = 22
DROPOUT_RATE = 0.12
RETURN_RATE = 0.2
FOLLOW_UP_RATE = 0.6
# Rows per unit of work: large enough to keep commits cheap, small enough for memory.
BATCH_ROWS = 40_000
_WRITE_ORDER: tuple[type[Synced], ...] = (
    Staff,
    Group,
    Beneficiary,
    Enrolment,
    Session,
    Attendance,
    FollowUp,
    Event,
    EventParticipant,
)
_DEMO_CENTRE = {
    "code": "EFT-TAZA-DEMO",
    "name": "مركز التربية والتكوين النهضة",
    "name_fr": "Centre d'éducation et de formation Annahda",
    "kind": CentreKind.EDUCATION_TRAINING.value,
    "province_code": "03.561",
}


# -- writing in batches ------------------------------------------------------------------


class _Writer:
    """Rows waiting for their unit of work, written parents first every ``BATCH_ROWS``."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.pending: dict[type[Synced], list[dict[str, Any]]] = {m: [] for m in _WRITE_ORDER}
        self.waiting = 0
        self.written: dict[type[Synced], int] = dict.fromkeys(_WRITE_ORDER, 0)

    def add(self, model: type[Synced], row: dict[str, Any]) -> None:
        self.pending[model].append(row)
        self.waiting += 1

    def extend(self, model: type[Synced], rows: list[dict[str, Any]]) -> None:
        self.pending[model].extend(rows)
        self.waiting += len(rows)

    def maybe_flush(self) -> None:
        if self.waiting >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.waiting:
            return
        with self.register.unit_of_work() as uow:
            for model in _WRITE_ORDER:
                rows = self.pending[model]
                if rows:
                    uow.insert_rows(model, rows)
                    self.written[model] += len(rows)
                    self.pending[model] = []
        self.waiting = 0


# -- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Season:
    id: uuid.UUID
    label: str
    start: dt.date
    end: dt.date
    # Session days of the window in this season, by weekday code.
    days: dict[str, list[dt.date]]


@dataclass
class _Member:
    """Someone enrolled this season: enough to enrol them again or invite them to events."""

    id: uuid.UUID
    birth: dt.date
    start: dt.date
    end: dt.date | None


@dataclass
class _Tally:
    groups: int = 0
    completed: int = 0
    dropped: int = 0
    events: int = 0
    members: dict[uuid.UUID, list[_Member]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Centre:
    id: uuid.UUID
    name: str
    kind: str
    city: str


def _window_seasons(uow: UnitOfWork, *, start: dt.date, today: dt.date) -> list[_Season]:
    first = int(season_label_for(start)[:4])
    last = int(season_label_for(today)[:4])
    seasons = []
    for year in range(first, last + 1):
        label = f"{year}-{year + 1}"
        row = ensure_season(uow, label)
        begin, end = season_bounds(label)
        by_weekday: dict[str, list[dt.date]] = {day.value: [] for day in Weekday}
        day = max(begin, start)
        while day <= min(end, today):
            if not is_holiday(day):
                by_weekday[list(Weekday)[day.isoweekday() - 1].value].append(day)
            day += dt.timedelta(days=1)
        seasons.append(_Season(row.id, label, begin, end, by_weekday))
    return seasons


def _open_centre(uow: UnitOfWork, *, today: dt.date) -> _Centre:
    """The centre to fill: set up the demo centre on a blank register; refuse a centre
    that already has people (the demo fills an empty centre)."""
    site = uow.session.get(Site, uow.register.site_id)
    if site is not None and site.kind == "unset":
        initialise_centre(uow, **_DEMO_CENTRE, today=today)
    place = where(uow.session)
    existing = uow.session.scalar(
        select(func.count()).where(
            Beneficiary.centre_id == place.centre.id, Beneficiary.cl % 2 == 1
        )
    )
    if existing:
        raise InputRejected(
            FieldError(
                "",
                _(
                    "This centre already has {count} beneficiaries; the demo fills an empty centre "
                    "only."
                ).format(count=existing),
            )
        )
    province = uow.session.scalars(
        select(TerritoryUnit.name_ar).where(TerritoryUnit.code == place.centre.province_code)
    ).first()
    return _Centre(place.centre.id, place.centre.name_ar, place.centre.kind, province or "")


# -- people ------------------------------------------------------------------------------


class _People:
    """Makes beneficiaries and staff; keeps the centre's CINs unique."""

    def __init__(self, rng: random.Random, *, centre: _Centre, today: dt.date) -> None:
        self.rng = rng
        self.centre = centre
        self.today = today
        self.cins: set[str] = set()
        self.female_share = _FEMALE_SHARE.get(centre.kind, 0.5)

    def cin(self) -> str:
        while True:
            value = self.rng.choice(_CIN_PREFIXES) + str(self.rng.randint(10_000, 999_999))
            if value not in self.cins:
                self.cins.add(value)
                return value

    def phone(self) -> str:
        return f"0{self.rng.choice('67')}{self.rng.randrange(10**8):08d}"

    def given_name(self, sex: str) -> tuple[str, str]:
        arabic, latin = self.rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
        # How coordinators really type: hamza left off the alif, ta marbuta as ha.
        if arabic[0] in "أإ" and self.rng.random() < 0.15:
            arabic = "ا" + arabic[1:]
        elif arabic.endswith("ة") and self.rng.random() < 0.05:
            arabic = arabic[:-1] + "ه"
        return arabic, latin

    def staff(self, *, role: StaffRole, sex: str) -> dict[str, Any]:
        given_ar, given_latin = self.given_name(sex)
        family_ar, family_latin = self.rng.choice(FAMILY_NAMES)
        return {
            "id": seeded_id(self.rng, unix_ms=_unix_ms(self.today)),
            "centre_id": self.centre.id,
            "family_name_ar": family_ar,
            "given_name_ar": given_ar,
            "family_name_latin": family_latin,
            "given_name_latin": given_latin,
            "role": role.value,
            "phone": self.phone(),
            "cin": self.cin(),
        }

    def birth_date(self, *, low: int, high: int, on: dt.date, literacy: bool) -> dt.date:
        """A birth date giving an age from ``low`` to ``high`` on ``on``, shaped like a
        centre's public (young women in trades, older women in literacy classes)."""
        bands = (
            ((18, 29, 2), (30, 44, 4), (45, 65, 4))
            if literacy
            else ((15, 17, 12), (18, 24, 33), (25, 34, 30), (35, 49, 18), (50, 65, 7))
        )
        fitting = [(max(a, low), min(b, high), w) for a, b, w in bands if a <= high and b >= low]
        if fitting:
            a, b, _w = self.rng.choices(fitting, weights=[w for *_r, w in fitting])[0]
        else:
            a, b = low, high
        age = self.rng.randint(a, b)
        latest = _years_before(on, age)
        earliest = _years_before(on, age + 1) + dt.timedelta(days=1)
        return earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def beneficiary(self, *, birth: dt.date, registered: dt.date, literacy: bool) -> dict[str, Any]:
        rng = self.rng
        sex = "F" if rng.random() < self.female_share else "M"
        given_ar, given_latin = self.given_name(sex)
        family_ar, family_latin = rng.choice(FAMILY_NAMES)
        age = validation.age_on(birth, registered)
        minor = age < validation.ADULT_AGE
        urban = rng.random() < 0.6
        if urban:
            address = (
                f"{rng.choice(_QUARTERS)}، زنقة {rng.randint(1, 60)}، "
                f"رقم {rng.randint(1, 150)}، {self.centre.city}"
            )
        else:
            address = f"دوار {rng.choice(_DOUARS)}، إقليم {self.centre.city}"
        row: dict[str, Any] = {
            "id": seeded_id(rng, unix_ms=_unix_ms(registered)),
            "centre_id": self.centre.id,
            "family_name_ar": family_ar,
            "given_name_ar": given_ar,
            "family_name_latin": family_latin,
            "given_name_latin": given_latin,
            "sex": sex,
            "birth_date": birth,
            "cin": None,
            "phone": None,
            "address": address,
            "commune_code": None,
            "area": "urban" if urban else "rural",
            "marital_status": "single" if age >= 15 else None,
            "education_level": self._education(age, literacy=literacy),
            "disability": self._disability(),
            "rsu_number": None,
            "guardian_name": None,
            "guardian_cin": None,
            "guardian_phone": None,
            "consent_date": registered if rng.random() < 0.95 else None,
            "notes": rng.choice(_NOTES) if sex == "F" and rng.random() < 0.03 else None,
        }
        if minor:
            father = rng.choice(MALE_NAMES)[0]
            row["guardian_name"] = f"{father} {family_ar}"
            row["guardian_cin"] = self.cin()
            row["guardian_phone"] = self.phone()
        else:
            row["cin"] = self.cin()
            row["phone"] = self.phone() if rng.random() < 0.9 else None
            row["marital_status"] = self._marital(age)
            if rng.random() < 0.4:
                row["rsu_number"] = str(rng.randint(10**9, 10**10 - 1))
        return row

    def _marital(self, age: int) -> str:
        if age < 25:
            weights = (80, 18, 2, 0)
        elif age < 40:
            weights = (35, 55, 8, 2)
        else:
            weights = (13, 60, 12, 15)
        return self.rng.choices(("single", "married", "divorced", "widowed"), weights)[0]

    def _education(self, age: int, *, literacy: bool) -> str:
        if literacy:
            return self.rng.choices(("none", "primary"), (70, 30))[0]
        if age < 6:
            return "none"
        if age < 12:
            return "primary"
        if age < 18:
            return self.rng.choices(("primary", "middle", "secondary"), (30, 50, 20))[0]
        levels = ("none", "primary", "middle", "secondary", "higher")
        return self.rng.choices(levels, (20, 30, 25, 18, 7))[0]

    def _disability(self) -> str | None:
        if self.rng.random() >= 0.03:
            return None
        kinds = ("motor", "visual", "hearing", "intellectual", "other")
        return self.rng.choices(kinds, (40, 20, 25, 10, 5))[0]


# -- attendance --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Course:
    """How one person's enrolment went: a mark per session they were enrolled for."""

    marks: list[str]
    dropped: bool
    rate: float


_PRESENT, _LATE = AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value
_ABSENT, _EXCUSED = AttendanceStatus.ABSENT.value, AttendanceStatus.EXCUSED.value


def _course(rng: random.Random, sessions: int, *, ended: bool, may_drop: bool) -> _Course:
    """Marks for ``sessions`` sessions: most people come 85-95 % of the time; a minority
    drifts into a growing absence streak and drops out (or is at risk when the season is
    still running)."""
    kind = rng.random()
    if kind < 0.15:
        present = rng.uniform(0.94, 0.99)
    elif kind < 0.88:
        present = rng.uniform(0.85, 0.95)
    else:
        present = rng.uniform(0.65, 0.85)
    on_time = present - rng.choice((0.0, 0.02, 0.04, 0.1))
    excused = rng.uniform(0.2, 0.5)
    # Index of the session the streak leads to; past the last session: none, or at risk.
    drop_at = sessions + 100
    if may_drop and sessions >= 6 and rng.random() < DROPOUT_RATE:
        drop_at = rng.randint(5, sessions - 1 if ended else sessions + 3)
    streak = rng.randint(3, 7)
    marks = []
    for index in range(min(sessions, drop_at + 1)):
        into = index - (drop_at - streak)
        if into > 0 and (index >= drop_at - 1 or rng.random() < 0.3 + 0.7 * into / streak):
            marks.append(_ABSENT)
            continue
        draw = rng.random()
        if draw < on_time:
            marks.append(_PRESENT)
        elif draw < present:
            marks.append(_LATE)
        else:
            marks.append(_EXCUSED if rng.random() < excused else _ABSENT)
    came = sum(1 for m in marks if m in (_PRESENT, _LATE))
    return _Course(marks, drop_at < sessions, came / len(marks) if marks else present)


# -- the demo ----------------------------------------------------------------------------


def _season_shares(seasons: Sequence[_Season], people: int) -> list[int]:
    """New people per season: evenly over the seasons that hold session days."""
    active = [i for i, s in enumerate(seasons) if any(s.days.values())] or [len(seasons) - 1]
    shares = [0] * len(seasons)
    for rank, index in enumerate(active):
        shares[index] = people // len(active) + (1 if rank < people % len(active) else 0)
    return shares


def _group_sizes(rng: random.Random, total: int) -> list[int]:
    count = max(1, round(total / GROUP_SIZE))
    sizes = [total // count + (1 if i < total % count else 0) for i in range(count)]
    # Some groups fill up more than others.
    for _i in range(count // 2):
        a, b = rng.randrange(count), rng.randrange(count)
        moved = min(rng.randint(0, 3), sizes[a] - 12)
        if a != b and moved > 0:
            sizes[a] -= moved
            sizes[b] += moved
    return sizes


class _Demo:
    """One demo being made: the random stream, the centre, and the rows on their way."""

    def __init__(
        self,
        register: Register,
        rng: random.Random,
        *,
        centre: _Centre,
        programmes: list[ProgrammeRecord],
        today: dt.date,
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.rng = rng
        self.centre = centre
        self.programmes = programmes
        self.today = today
        self.total = total
        self.progress = progress
        self.writer = _Writer(register)
        self.people = _People(rng, centre=centre, today=today)
        self.tally = _Tally()
        self.made = 0
        self.educators: list[uuid.UUID] = []
        self.coordinator = ""

    def staff(self, groups_per_season: int) -> None:
        coordinator = self.people.staff(role=StaffRole.COORDINATOR, sex="F")
        self.coordinator = f"{coordinator['given_name_ar']} {coordinator['family_name_ar']}"
        self.writer.add(Staff, coordinator)
        for _i in range(max(3, math.ceil(groups_per_season / 3))):
            sex = "F" if self.rng.random() < 0.8 else "M"
            row = self.people.staff(role=StaffRole.EDUCATOR, sex=sex)
            self.educators.append(row["id"])
            self.writer.add(Staff, row)

    def season(
        self,
        season: _Season,
        *,
        new: int,
        returning: list[_Member],
        taken: set[tuple[str, str]],
    ) -> list[_Member]:
        """Groups of a season with their people, sessions and marks; returns those who
        come back next season."""
        rng = self.rng
        ended = season.end < self.today
        slots: list[_Member | str] = ["new"] * new + list(returning)
        rng.shuffle(slots)
        members: list[_Member] = []
        coming_back: list[_Member] = []
        weights = [_PROGRAMME_WEIGHTS.get(p.code, 1) for p in self.programmes]
        numbers: dict[str, int] = {}
        offset = 0
        for size in _group_sizes(rng, len(slots)) if slots else []:
            programme = rng.choices(self.programmes, weights)[0]
            name = self._group_name(programme, season, numbers=numbers, taken=taken)
            members += self._group(
                season,
                programme,
                name=name,
                slots=slots[offset : offset + size],
                ended=ended,
                back=coming_back,
            )
            offset += size
            self.writer.maybe_flush()
        self.tally.members[season.id] = members
        return coming_back

    def _group_name(
        self,
        programme: ProgrammeRecord,
        season: _Season,
        *,
        numbers: dict[str, int],
        taken: set[tuple[str, str]],
    ) -> str:
        while True:
            numbers[programme.code] = numbers.get(programme.code, 0) + 1
            name = f"{programme.name_ar} - الفوج {numbers[programme.code]}"
            if (season.label, name) not in taken:
                return name

    def _group(
        self,
        season: _Season,
        programme: ProgrammeRecord,
        *,
        name: str,
        slots: list[_Member | str],
        ended: bool,
        back: list[_Member],
    ) -> list[_Member]:
        rng = self.rng
        literacy = programme.code.endswith("ALP") or programme.code.startswith("ALP")
        schedule = rng.choices(_SCHEDULE_DAYS, _SCHEDULE_WEIGHTS)[0]
        hours = rng.choice(_LITERACY_HOURS if literacy else _TRADE_HOURS)
        group_id = seeded_id(rng, unix_ms=_unix_ms(season.start))
        group_key = str(group_id)
        self.writer.add(
            Group,
            {
                "id": group_id,
                "centre_id": self.centre.id,
                "programme_id": programme.id,
                "season_id": season.id,
                "name": name,
                "educator_id": self.educators[self.tally.groups % len(self.educators)],
                "days": ",".join(schedule),
                "start_time": hours[:5],
                "end_time": hours[6:],
                "capacity": max(len(slots), rng.randint(24, 28)),
                "room": f"القاعة {rng.randint(1, 6)}",
            },
        )
        self.tally.groups += 1

        # The group's sessions: every scheduled day of the window, a few cancelled.
        dates = sorted(d for code in schedule for d in season.days[code])
        held: list[tuple[dt.date, uuid.UUID, str]] = []
        for day in dates:
            key = day.isoformat()
            session_id = natural_id("session", group_key, key, 1)
            cancelled = rng.random() < 0.01
            self.writer.add(
                Session,
                {
                    "id": session_id,
                    "group_id": group_id,
                    "date": day,
                    "slot": 1,
                    "status": (
                        SessionStatus.CANCELLED if cancelled else SessionStatus.PLANNED
                    ).value,
                    "reason": rng.choice(_CANCEL_REASONS) if cancelled else None,
                },
            )
            if not cancelled:
                held.append((day, session_id, str(session_id)))

        low = programme.min_age if programme.min_age is not None else 15
        high = programme.max_age if programme.max_age is not None else 65
        members = []
        for slot in slots:
            start = self._start_date(season)
            if isinstance(slot, _Member):
                if not low <= validation.age_on(slot.birth, season.start) <= high:
                    continue  # the next programme does not take them at their age
                person_id, birth, returner = slot.id, slot.birth, False
            else:
                birth = self.people.birth_date(
                    low=low, high=high, on=season.start, literacy=literacy
                )
                registered = max(birth, start - dt.timedelta(days=rng.randint(0, 10)))
                person = self.people.beneficiary(
                    birth=birth, registered=registered, literacy=literacy
                )
                self.writer.add(Beneficiary, person)
                person_id = person["id"]
                self.made += 1
                returner = ended and rng.random() < RETURN_RATE
            adult = validation.age_on(birth, season.end) >= validation.ADULT_AGE
            end = self._enrolment(
                group_id,
                person_id,
                start=start,
                held=held,
                season=season,
                ended=ended,
                may_drop=not returner,
                adult=adult,
            )
            member = _Member(person_id, birth, start, end)
            members.append(member)
            if returner and member.end is not None:
                back.append(member)
        if self.progress is not None:
            self.progress(self.made, self.total)
        return members

    def _start_date(self, season: _Season) -> dt.date:
        # Most register in the first fortnight; some join late in the autumn.
        late = self.rng.random() < 0.2
        offset = self.rng.randint(15, 75) if late else self.rng.randint(0, 14)
        return min(season.start + dt.timedelta(days=offset), self.today, season.end)

    def _enrolment(
        self,
        group_id: uuid.UUID,
        person_id: uuid.UUID,
        *,
        start: dt.date,
        held: list[tuple[dt.date, uuid.UUID, str]],
        season: _Season,
        ended: bool,
        may_drop: bool,
        adult: bool,
    ) -> dt.date | None:
        """Write one enrolment, its marks and follow-up; return its end date."""
        rng = self.rng
        mine = [session for session in held if session[0] >= start]
        course = _course(rng, len(mine), ended=ended, may_drop=may_drop)
        person_key = str(person_id)
        self.writer.extend(
            Attendance,
            [
                {
                    "id": natural_id("attendance", key, person_key),
                    "session_id": session_id,
                    "beneficiary_id": person_id,
                    "status": mark,
                }
                for (_day, session_id, key), mark in zip(mine, course.marks, strict=False)
            ],
        )
        enrolment_id = natural_id("enrolment", group_id, person_id)
        row = {
            "id": enrolment_id,
            "group_id": group_id,
            "beneficiary_id": person_id,
            "start_date": start,
            "status": EnrolmentStatus.ACTIVE.value,
            "end_date": None,
            "reason": None,
            "mention": None,
        }
        if course.dropped:
            row["status"] = EnrolmentStatus.DROPPED.value
            row["end_date"] = mine[len(course.marks) - 1][0]
            row["reason"] = rng.choice(
                DROPOUT_REASONS if adult else DROPOUT_REASONS[:_CHILD_REASONS]
            )
            self.tally.dropped += 1
        elif ended:
            row["status"] = EnrolmentStatus.COMPLETED.value
            row["end_date"] = season.end
            row["mention"] = self._mention(course.rate)
            self.tally.completed += 1
            if adult and self.centre.kind in _FOLLOWED_KINDS and rng.random() < FOLLOW_UP_RATE:
                self._follow_up(person_id, enrolment_id, end=season.end)
        self.writer.add(Enrolment, row)
        return row["end_date"]

    def _mention(self, rate: float) -> str:
        base = 0 if rate < 0.8 else 1 if rate < 0.9 else 2
        return MENTIONS[min(len(MENTIONS) - 1, base + self.rng.choices((0, 1), (60, 40))[0])]

    def _follow_up(self, person_id: uuid.UUID, enrolment_id: uuid.UUID, *, end: dt.date) -> None:
        rng = self.rng
        outcome = rng.choices(list(_FOLLOW_UPS), _FOLLOW_UP_WEIGHTS)[0]
        organisations, details = _FOLLOW_UPS[outcome]
        day = min(end + dt.timedelta(days=rng.randint(20, 200)), self.today)
        self.writer.add(
            FollowUp,
            {
                "id": seeded_id(rng, unix_ms=_unix_ms(day)),
                "beneficiary_id": person_id,
                "enrolment_id": enrolment_id,
                "date": day,
                "outcome": outcome.value,
                "organisation": rng.choice(organisations),
                "details": rng.choice(details),
            },
        )

    def events(self, season: _Season) -> None:
        """Two events of the season (world days first), with participants and a speaker."""
        rng = self.rng
        session_days = sorted(d for days in season.days.values() for d in days)
        members = self.tally.members.get(season.id, [])
        if not session_days or not members:
            return
        dated = []
        for idea in _EVENTS:
            if idea.day is None:
                continue
            year = season.start.year if idea.day[0] >= 9 else season.end.year
            day = dt.date(year, *idea.day)
            if day.isoweekday() == 7:
                day += dt.timedelta(days=1)
            if session_days[0] <= day <= session_days[-1] and not is_holiday(day):
                dated.append((idea, day))
        talks = [idea for idea in _EVENTS if idea.day is None]
        rng.shuffle(talks)
        chosen = dated[:2] + [(idea, rng.choice(session_days)) for idea in talks]
        for idea, day in chosen[:2]:
            self._event(idea, day, members=members)

    def _event(self, idea: _EventIdea, day: dt.date, *, members: list[_Member]) -> None:
        rng = self.rng
        event_id = seeded_id(rng, unix_ms=_unix_ms(day))
        self.writer.add(
            Event,
            {
                "id": event_id,
                "centre_id": self.centre.id,
                "kind": idea.kind.value,
                "title_ar": idea.title_ar,
                "title_fr": idea.title_fr,
                "date": day,
                "place": f"قاعة الاجتماعات، {self.centre.name}",
                "description": None,
            },
        )
        guests = (
            (idea.speaker, ParticipantRole.SPEAKER, idea.organisation),
            (self.coordinator, ParticipantRole.ORGANISER, self.centre.name),
        )
        for name, role, organisation in guests:
            self.writer.add(
                EventParticipant,
                {
                    "id": seeded_id(rng, unix_ms=_unix_ms(day)),
                    "event_id": event_id,
                    "beneficiary_id": None,
                    "guest_name": name,
                    "role": role.value,
                    "organisation": organisation,
                },
            )
        wanted = rng.randint(25, 60)
        picks = rng.sample(range(len(members)), min(len(members), wanted * 3))
        there = [
            members[i]
            for i in picks
            if members[i].start <= day and (members[i].end is None or members[i].end >= day)
        ]
        for member in there[:wanted]:
            self.writer.add(
                EventParticipant,
                {
                    "id": natural_id("event_participant", event_id, member.id),
                    "event_id": event_id,
                    "beneficiary_id": member.id,
                    "guest_name": None,
                    "role": ParticipantRole.PARTICIPANT.value,
                    "organisation": None,
                },
            )
        self.tally.events += 1


def create_demo(
    register: Register,
    *,
    seed: int,
    beneficiaries: int,
    months: int,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Fill the register's centre (set up first on a blank register) with ``beneficiaries``
    people and ``months`` months of sessions up to ``today``; return a one-line summary."""
    errors = [
        FieldError(name, _("Give a number of 0 or more."))
        for name, value in (("beneficiaries", beneficiaries), ("months", months))
        if value < 0
    ]
    if errors:
        raise InputRejected(errors)
    rng = random.Random(seed)
    start = months_before(today, months)
    with register.unit_of_work() as uow:
        centre = _open_centre(uow, today=today)
        seasons = _window_seasons(uow, start=start, today=today)
        programmes = [p for p in list_programmes(uow) if p.centre_kind == centre.kind]
        taken = set(
            uow.session.execute(
                select(Group.season_id, Group.name).where(Group.centre_id == centre.id)
            ).all()
        )
    if not programmes:
        raise InputRejected(FieldError("", _("This centre has no programme to open groups of.")))
    labels = {s.id: s.label for s in seasons}
    taken_names = {(labels[sid], name) for sid, name in taken if sid in labels}

    shares = _season_shares(seasons, beneficiaries)
    demo = _Demo(
        register,
        rng,
        centre=centre,
        programmes=programmes,
        today=today,
        total=beneficiaries,
        progress=progress,
    )
    demo.staff(max(shares, default=0) // GROUP_SIZE)
    returning: list[_Member] = []
    for season, new in zip(seasons, shares, strict=True):
        returning = demo.season(season, new=new, returning=returning, taken=taken_names)
    for season in seasons:
        demo.events(season)
    demo.writer.flush()
    if progress is not None:
        progress(beneficiaries, beneficiaries)

    written = demo.writer.written
    return _(
        "Demo centre “{centre}”: {people} beneficiaries, {groups} groups over {seasons} "
        "season(s), {sessions} sessions, {marks} attendance marks, {completed} completed, "
        "{dropped} dropped out, {follow_ups} follow-ups, {events} events."
    ).format(
        centre=centre.name,
        people=written[Beneficiary],
        groups=written[Group],
        seasons=len(seasons),
        sessions=written[Session],
        marks=written[Attendance],
        completed=demo.tally.completed,
        dropped=demo.tally.dropped,
        follow_ups=written[FollowUp],
        events=written[Event],
    )
