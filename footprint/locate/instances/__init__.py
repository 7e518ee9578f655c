"""Test and benchmark instances: OR-Library readers and a brute-force reference.

- :mod:`.or_library`: readers for Beasley's OR-Library pmed and cap files;
- :mod:`.brute_force`: optimal objective by enumeration, for tests on tiny problems.

May import :mod:`footprint.locate` modules only.
"""
