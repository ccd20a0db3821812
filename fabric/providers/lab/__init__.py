"""The embedded lab provider: a local VMM simulator in SQLite that enforces VMM's rules."""
