"""The fixed words of the register: kinds of centre, statuses, outcomes, with their labels.

Stored values are short English codes (stable across languages and versions); what a
person reads is the label, translated at display time. Every layer may import this
module: it holds no storage and no widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum

from app.i18n import N_, _


class Labelled(StrEnum):
    """An enumeration whose members carry a translatable label."""

    @property
    def label(self) -> str:
        return _(LABELS[self])

    @classmethod
    def parse(cls, value: str) -> Labelled:
        """The member whose code is ``value``; ValueError otherwise."""
        return cls(value.strip().lower())


class CentreKind(Labelled):
    EDUCATION_TRAINING = "education_training"
    APPRENTICESHIP = "apprenticeship"
    KINDERGARTEN = "kindergarten"
    LITERACY = "literacy"
    STUDENT_HOUSE = "student_house"
    SOCIAL_PROTECTION = "social_protection"
    DISABILITY = "disability"
    CITIZEN_HOUSE = "citizen_house"


class ManagementMode(Labelled):
    DIRECT = "direct"
    CO_MANAGEMENT = "co_management"
    DELEGATED = "delegated"


class Sex(Labelled):
    FEMALE = "F"
    MALE = "M"

    @classmethod
    def parse(cls, value: str) -> Sex:
        return cls(value.strip().upper())


class Area(Labelled):
    URBAN = "urban"
    RURAL = "rural"


class MaritalStatus(Labelled):
    SINGLE = "single"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


class EducationLevel(Labelled):
    NONE = "none"
    PRIMARY = "primary"
    MIDDLE = "middle"
    SECONDARY = "secondary"
    HIGHER = "higher"


class Disability(Labelled):
    MOTOR = "motor"
    VISUAL = "visual"
    HEARING = "hearing"
    INTELLECTUAL = "intellectual"
    AUTISM = "autism"
    MULTIPLE = "multiple"
    OTHER = "other"


class StaffRole(Labelled):
    COORDINATOR = "coordinator"
    EDUCATOR = "educator"
    TRAINER = "trainer"
    OTHER = "other"


class EnrolmentStatus(Labelled):
    ACTIVE = "active"
    COMPLETED = "completed"
    DROPPED = "dropped"
    TRANSFERRED = "transferred"


class SessionStatus(Labelled):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class AttendanceStatus(Labelled):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    LATE = "late"


class FollowUpOutcome(Labelled):
    JOB = "job"
    COOPERATIVE = "cooperative"
    OWN_BUSINESS = "own_business"
    FURTHER_TRAINING = "further_training"
    SEEKING = "seeking"


class EventKind(Labelled):
    SEMINAR = "seminar"
    AWARENESS_DAY = "awareness_day"
    WORKSHOP = "workshop"
    CELEBRATION = "celebration"


class ParticipantRole(Labelled):
    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    ORGANISER = "organiser"


class CertificateKind(Labelled):
    COMPLETION = "completion"
    ATTENDANCE = "attendance"
    PARTICIPATION = "participation"


class Weekday(Labelled):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def iso(self) -> int:
        """1 for Monday … 7 for Sunday, as ``date.isoweekday()``."""
        return list(Weekday).index(self) + 1


_ENTRIES: tuple[tuple[StrEnum, str], ...] = (
    (CentreKind.EDUCATION_TRAINING, N_("Education and training centre")),
    (CentreKind.APPRENTICESHIP, N_("Apprenticeship training centre")),
    (CentreKind.KINDERGARTEN, N_("Kindergarten")),
    (CentreKind.LITERACY, N_("Literacy class")),
    (CentreKind.STUDENT_HOUSE, N_("Student house")),
    (CentreKind.SOCIAL_PROTECTION, N_("Social protection establishment")),
    (CentreKind.DISABILITY, N_("Multi-service centre for persons with disabilities")),
    (CentreKind.CITIZEN_HOUSE, N_("Citizen house")),
    (ManagementMode.DIRECT, N_("Direct management")),
    (ManagementMode.CO_MANAGEMENT, N_("Co-management")),
    (ManagementMode.DELEGATED, N_("Delegated management")),
    (Sex.FEMALE, N_("Female")),
    (Sex.MALE, N_("Male")),
    (Area.URBAN, N_("Urban")),
    (Area.RURAL, N_("Rural")),
    (MaritalStatus.SINGLE, N_("Single")),
    (MaritalStatus.MARRIED, N_("Married")),
    (MaritalStatus.DIVORCED, N_("Divorced")),
    (MaritalStatus.WIDOWED, N_("Widowed")),
    (EducationLevel.NONE, N_("No schooling")),
    (EducationLevel.PRIMARY, N_("Primary")),
    (EducationLevel.MIDDLE, N_("Middle school")),
    (EducationLevel.SECONDARY, N_("Secondary")),
    (EducationLevel.HIGHER, N_("Higher education")),
    (Disability.MOTOR, N_("Motor disability")),
    (Disability.VISUAL, N_("Visual disability")),
    (Disability.HEARING, N_("Hearing disability")),
    (Disability.INTELLECTUAL, N_("Intellectual disability")),
    (Disability.AUTISM, N_("Autism")),
    (Disability.MULTIPLE, N_("Multiple disabilities")),
    (Disability.OTHER, N_("Other disability")),
    (StaffRole.COORDINATOR, N_("Coordinator")),
    (StaffRole.EDUCATOR, N_("Educator")),
    (StaffRole.TRAINER, N_("Trainer")),
    (StaffRole.OTHER, N_("Other staff")),
    (EnrolmentStatus.ACTIVE, N_("Active")),
    (EnrolmentStatus.COMPLETED, N_("Completed")),
    (EnrolmentStatus.DROPPED, N_("Dropped out")),
    (EnrolmentStatus.TRANSFERRED, N_("Transferred")),
    (SessionStatus.PLANNED, N_("Planned")),
    (SessionStatus.CANCELLED, N_("Cancelled")),
    (AttendanceStatus.PRESENT, N_("Present")),
    (AttendanceStatus.ABSENT, N_("Absent")),
    (AttendanceStatus.EXCUSED, N_("Excused")),
    (AttendanceStatus.LATE, N_("Late")),
    (FollowUpOutcome.JOB, N_("Job")),
    (FollowUpOutcome.COOPERATIVE, N_("Cooperative")),
    (FollowUpOutcome.OWN_BUSINESS, N_("Own small business")),
    (FollowUpOutcome.FURTHER_TRAINING, N_("Further training")),
    (FollowUpOutcome.SEEKING, N_("Still seeking")),
    (EventKind.SEMINAR, N_("Seminar")),
    (EventKind.AWARENESS_DAY, N_("Awareness day")),
    (EventKind.WORKSHOP, N_("Workshop")),
    (EventKind.CELEBRATION, N_("Celebration")),
    (ParticipantRole.PARTICIPANT, N_("Participant")),
    (ParticipantRole.SPEAKER, N_("Speaker")),
    (ParticipantRole.ORGANISER, N_("Organiser")),
    (CertificateKind.COMPLETION, N_("End of training certificate")),
    (CertificateKind.ATTENDANCE, N_("Attendance certificate")),
    (CertificateKind.PARTICIPATION, N_("Participation certificate")),
    (Weekday.MON, N_("Monday")),
    (Weekday.TUE, N_("Tuesday")),
    (Weekday.WED, N_("Wednesday")),
    (Weekday.THU, N_("Thursday")),
    (Weekday.FRI, N_("Friday")),
    (Weekday.SAT, N_("Saturday")),
    (Weekday.SUN, N_("Sunday")),
)


class _Labels(Mapping[StrEnum, str]):
    """The labels, keyed by member and enumeration: two enumerations may share a code
    ("other" is both a disability and a staff role), where a plain dict would give both
    the label written last."""

    def __init__(self, entries: Iterable[tuple[StrEnum, str]]) -> None:
        self._labels = {(type(member), member.value): label for member, label in entries}
        self._members = {(type(member), member.value): member for member, _label in entries}

    def __getitem__(self, member: StrEnum) -> str:
        return self._labels[(type(member), member.value)]

    def __iter__(self) -> Iterator[StrEnum]:
        return iter(self._members.values())

    def __len__(self) -> int:
        return len(self._labels)


LABELS: Mapping[StrEnum, str] = _Labels(_ENTRIES)
