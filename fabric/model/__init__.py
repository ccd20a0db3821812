"""Desired-state types: frozen pydantic models, one class per VMM object kind.

Owns what a resource *is* (attributes, references, identity scope); knows nothing about
YAML files, providers or state.
"""
