"""Loading a stamp: YAML files → expanded raw resources → validated models.

Owns file reading, YAML parsing with source positions, `for_each` expansion and jinja2
rendering. It never talks to a provider or to state.
"""
