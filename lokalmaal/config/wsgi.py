"""WSGI entry point for production servers (`lokalmaal serve` runs gunicorn on it)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalmaal.config.settings")
application = get_wsgi_application()

# Started without `lokalmaal serve` (gunicorn directly): the same refusal when settings are missing.
from lokalmaal.ops.production import problems  # noqa: E402 (needs the settings loaded above)

if problems():
    from lokalmaal.config.production import message

    raise ImproperlyConfigured(message(problems()))
