"""Rendering values for people and machines: text and JSON plans, DOT/mermaid graphs.

Pure functions from values to strings; printing is the CLI's job.
"""
