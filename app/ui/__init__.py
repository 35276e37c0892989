"""The desktop application (PySide6). The only package that imports Qt.

Screens get records from ``app.services`` through the background task runner; they
never see the ORM.
"""
