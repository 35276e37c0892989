"""The screens of the main window, in the order of the navigation list, with their titles.

Light on purpose: the window's frame is built from it before any screen (and the database
layer beneath the screens) is loaded.
"""

from __future__ import annotations

from app.i18n import N_

SCREEN_TITLES: dict[str, str] = {
    "home": N_("Home"),
    "beneficiaries": N_("Beneficiaries"),
    "groups": N_("Groups"),
    "attendance": N_("Attendance"),
    "events": N_("Events"),
    "documents": N_("Documents"),
    "sync": N_("Sync"),
    "settings": N_("Settings"),
}
SCREEN_KEYS: tuple[str, ...] = tuple(SCREEN_TITLES)
