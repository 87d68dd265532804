"""The Jinja2 environment of the public pages (TEMPLATES in settings).

The public pages are Jinja2 templates; the admin keeps Django's template language, as it must.
"""

import datetime

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment

from centres.models import long_date
from network.content_api import absolute_url


def url(name, **kwargs):
    """`{{ url("centre", slug=slug) }}`: the page's address, as Django's {% url %} tag gives it."""
    return reverse(name, kwargs=kwargs)


def page_address(request):
    """Jinja2 context: the page's address on the live site, for its canonical link and og:url.

    From SITE_URL, never the request's Host: a page is cached once and served to every reader. In a
    draft's preview, the address the page will have once it is published (drafts/views.py).
    """
    return {"canonical_url": absolute_url(getattr(request, "public_path", request.path_info))}


def environment(**options):
    # keep_trailing_newline: a page ends with its template's last newline, as in Django's templates.
    env = Environment(**options, keep_trailing_newline=True)
    # `{{ static("css/app.css") }}`: a static file's address, as Django's {% static %} tag gives it.
    env.globals.update(static=static, url=url)
    # `{{ day|long_date }}`, "4 March 2013"; `{{ day|iso_date }}`, "2013-03-04", for <time datetime>.
    env.filters.update(long_date=long_date, iso_date=datetime.date.isoformat)
    return env
