"""The Django example's settings, with the URLs of ``bench_django_urls``.

Run from ``examples/django`` as the example is (``uvicorn project.asgi:application``),
with ``DJANGO_SETTINGS_MODULE=bench_django_settings`` and this folder on ``PYTHONPATH``.
"""

from project.settings import *  # noqa: F403

ROOT_URLCONF = "bench_django_urls"
