"""Web addresses staff enter become links on public pages: only http(s) ones are accepted."""

from django.core.validators import URLValidator
from django.db import models

HTTP_URL_MESSAGE = "Enter a web address starting https:// or http://."

validate_http_url = URLValidator(schemes=["http", "https"], message=HTTP_URL_MESSAGE)


def http_url_constraint(field_name, name):
    """The same rule in the database, for records that do not come through a form (fixtures, shell)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field_name}__istartswith": "http://"})
        | models.Q(**{f"{field_name}__istartswith": "https://"}),
        name=name,
        violation_error_message=HTTP_URL_MESSAGE,
    )
