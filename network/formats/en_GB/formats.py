"""The site's own date formats (settings.FORMAT_MODULE_PATH), over Django's for British English.

The admin's date fields accept a date written out ("1 December 2026", "1 Dec 2026") or as
2026-12-01, the form they show and their calendar writes, as well as 01/12/2026.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y"]
