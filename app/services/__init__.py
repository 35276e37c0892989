"""Use cases of the register: each takes a unit of work and returns frozen records.

Screens, documents, sync and the CLI all come here; nothing above this layer touches the
ORM. Errors are typed (``app.services.errors``) and carry translated messages.
"""
