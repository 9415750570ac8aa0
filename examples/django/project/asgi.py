"""Served by ``uvicorn project.asgi:application --port 3001 --no-proxy-headers``
(the README says why): the guide's ``mode='asgi'``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

application = get_asgi_application()
