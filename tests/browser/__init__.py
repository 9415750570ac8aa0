"""The demo app (``frontend/``) in real Chromium against each example: ``nox -s browser``."""
