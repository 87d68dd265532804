"""`{{ day|long_date }}`: a date as GOV.UK writes it, "4 March 2013"."""

from django import template

from centres.models import long_date

register = template.Library()
register.filter("long_date", long_date)
