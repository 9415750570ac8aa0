"""Benchmarks (issue 5): ``nox -s bench`` runs ``python -m bench`` and writes report.md."""
