"""Sijill (سجل), the register of a Moroccan social centre."""

__version__ = "0.1.0"
