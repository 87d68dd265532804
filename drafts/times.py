"""Times as staff schedule them and read them: UK time (Europe/London), with the zone in force said."""

import datetime
import zoneinfo

from django.utils import timezone

UK = zoneinfo.ZoneInfo("Europe/London")


class NotOnTheClock(ValueError):
    """A day and time that UK clocks skip (when they go forward) or show twice (when they go back)."""


def uk_moment(day, time):
    """The moment a UK clock shows `time` on `day`."""
    moment = datetime.datetime.combine(day, time, tzinfo=UK)
    if moment.astimezone(datetime.UTC).astimezone(UK).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise NotOnTheClock(
            f"UK clocks go forward an hour at 1am on {day.day} {day:%B %Y}: {clock(time)} does not happen."
        )
    if moment.utcoffset() != moment.replace(fold=1).utcoffset():
        raise NotOnTheClock(f"UK clocks go back an hour at 2am on {day.day} {day:%B %Y}: {clock(time)} happens twice.")
    return moment


def clock(time):
    """A time of day as GOV.UK writes it: "9:30am", "10am", "5:45pm", "midday", "midnight"."""
    if (time.hour, time.minute) in ((0, 0), (12, 0)):
        return "midnight" if time.hour == 0 else "midday"
    minutes = f":{time.minute:02d}" if time.minute else ""
    return f"{time.hour % 12 or 12}{minutes}{'am' if time.hour < 12 else 'pm'}"


def uk_time(moment):
    """A moment in UK time, in words: "9:30am on 1 December 2026 (UK time, GMT)"."""
    local = timezone.localtime(moment, UK)
    return f"{clock(local.time())} on {local.day} {local:%B %Y} (UK time, {local.tzname()})"
