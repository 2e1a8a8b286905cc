"""Benchmarks of the search: commands that print figures (`make bench`), never tests."""
