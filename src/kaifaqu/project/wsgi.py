"""WSGI entry point for production servers (also what ``kaifaqu runserver`` serves).

Static files are collected before the application starts when they are missing or out of date,
so a fresh or upgraded installation never answers 500 for want of them.
"""

import os

import django
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
django.setup(set_prefix=False)

from kaifaqu.core.staticfiles import collect_static_files  # noqa: E402

collect_static_files()
application = get_wsgi_application()
