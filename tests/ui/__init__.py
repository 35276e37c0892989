"""Tests of the desktop application (pytest-qt, offscreen).

A package, so that its modules may share the names of the screens they test with the
integration tests of the same features (test_groups.py).
"""
