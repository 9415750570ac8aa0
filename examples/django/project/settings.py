"""Django settings: SuperTokens' init, its middleware, and CORS for the frontend."""

import secrets
from urllib.parse import urlsplit

from corsheaders.defaults import default_headers
from supertokens_python import get_all_cors_headers, init

from core import Settings, recipe_list

settings = Settings.from_env()
init(
    app_info=settings.app_info(),
    supertokens_config=settings.supertokens_config(),
    framework="django",
    recipe_list=recipe_list(settings),
    mode="asgi",
)

SECRET_KEY = secrets.token_urlsafe(50)  # nothing here signs with it: no Django sessions
DEBUG = False
ALLOWED_HOSTS = [
    "localhost",
    "127.0.0.1",
    urlsplit(settings.api_domain).hostname or "localhost",
]

INSTALLED_APPS = ["corsheaders", "api"]
MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "supertokens_python.framework.django.django_middleware.middleware",
]
ROOT_URLCONF = "project.urls"

CORS_ALLOWED_ORIGINS = [settings.website_domain]
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = [*default_headers, *get_all_cors_headers()]
