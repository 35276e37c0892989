"""`sijill gui`: open the desktop application (Qt is imported only when it runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.config import default_database
from app.i18n import _
from app.ui.navigation import SCREEN_KEYS


def add_commands(commands: argparse._SubParsersAction) -> None:
    gui = commands.add_parser("gui", help=_("open the desktop application"))
    gui.add_argument("--screen", choices=SCREEN_KEYS, default="home")
    gui.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help=_("draw the screen offscreen, save it as a PNG and exit"),
    )
    gui.set_defaults(run=run_gui, needs_database=False)


def run_gui(args: argparse.Namespace, _register: None) -> int:
    from app.ui.application import run_gui as start

    return start(
        location=args.db or default_database(),
        screen=args.screen,
        screenshot=args.screenshot,
        language=args.lang,
    )
