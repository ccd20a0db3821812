"""Providers: the side that observes and changes a live fabric.

`protocol` defines what every provider implements; `registry` finds them (built-ins and
the `fabric.providers` entry-point group); `lab` is the embedded VMM simulator.
"""
