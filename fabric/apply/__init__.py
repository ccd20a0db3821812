"""Applying a plan: walk its operations in dependency order with N workers, recording each."""
