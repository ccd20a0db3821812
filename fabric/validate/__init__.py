"""Semantic validation: pure rules over a loaded `Fabric`, returning findings.

Runs after model validation and before any provider call. Every rule sees the whole
fabric and reports all problems; none raises.
"""

from fabric.validate.rules import check

__all__ = ["check"]
