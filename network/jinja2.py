"""The Jinja2 environment of the public pages (TEMPLATES in settings).

The public pages are Jinja2 templates; the admin keeps Django's template language, as it must.
"""

import datetime

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment

from centres.models import long_date


def url(name, **kwargs):
    """`{{ url("centre", slug=slug) }}`: the page's address, as Django's {% url %} tag gives it."""
    return reverse(name, kwargs=kwargs)


def environment(**options):
    # keep_trailing_newline: a page ends with its template's last newline, as in Django's templates.
    env = Environment(**options, keep_trailing_newline=True)
    # `{{ static("css/app.css") }}`: a static file's address, as Django's {% static %} tag gives it.
    env.globals.update(static=static, url=url)
    # `{{ day|long_date }}`, "4 March 2013"; `{{ day|iso_date }}`, "2013-03-04", for <time datetime>.
    env.filters.update(long_date=long_date, iso_date=datetime.date.isoformat)
    return env
