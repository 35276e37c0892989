"""Sync between a centre's laptops and its delegation by signed, encrypted bundles.

``bundle`` is the file format, ``export`` builds a bundle for a peer, ``import_`` checks
one and merges it, ``status`` says where things stand. No Qt; the CLI and the Sync screen
sit on top. The design brief is docs/SYNC.md of the project's shared docs.
"""
