"""The Jinja2 environment of the public pages (TEMPLATES in settings).

The public pages are Jinja2 templates because Jinja2 renders them in about half the time Django's
template language takes, and a page built without a cache spends much of its time rendering
(issue 5). The admin keeps Django's template language, as it must.

The templates look up a dict's keys by subscript, `row["centre_name"]`: `row.centre_name` would
first look for an attribute, and fail, which costs more than the lookup itself.
"""

import datetime

from jinja2 import Environment

from centres.models import long_date
from network.addresses import page_address, static_address


def environment(**options):
    # keep_trailing_newline: a page ends with its template's last newline, as in Django's templates.
    env = Environment(**options, keep_trailing_newline=True)
    # `{{ url("centre", slug=slug) }}` and `{{ static("css/app.css") }}`, as Django's tags give them.
    env.globals.update(static=static_address, url=page_address)
    # `{{ day|long_date }}`, "4 March 2013"; `{{ day|iso_date }}`, "2013-03-04", for <time datetime>. A
    # filter is called directly, where `day.isoformat()` goes through Jinja2's checks for a call.
    env.filters.update(long_date=long_date, iso_date=datetime.date.isoformat)
    return env
