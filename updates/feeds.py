"""An Atom feed of a page's change notes, like GOV.UK's feed of a page's updates."""

import uuid

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from centres.models import long_date
from network.content_api import absolute_url
from network.models import Page
from network.rendering import markdown_as_text


class PageUpdatesFeed(Feed):
    """Every address in the feed, its own included, is absolute from SITE_URL (Django's Feed would
    otherwise complete relative ones from the request's host)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Page, slug=slug)

    def feed_url(self, page):
        return absolute_url(reverse("guidance-page-feed", kwargs={"slug": page.slug}))

    def title(self, page):
        # A withdrawn page's feed is named as its browser tab is.
        return f"{'[Withdrawn] ' if page.withdrawn_on else ''}{page.title}: updates"

    def link(self, page):
        return absolute_url(page.get_absolute_url())

    def subtitle(self, page):
        # GOV.UK publishes no change note for a withdrawal, so the subtitle, not an entry, carries the notice.
        if page.withdrawn_on:
            return (
                f"This {page.document_type.lower()} was withdrawn on {long_date(page.withdrawn_on)}. "
                f"{markdown_as_text(page.withdrawal_explanation)}"
            )
        return page.summary

    def author_name(self, page):
        return page.organisation_name

    def author_link(self, page):
        return page.organisation_url

    def items(self, page):
        return page.updates.published().newest_first()

    def item_title(self, update):
        return update.note

    def item_description(self, update):
        # Atom carries the summary as HTML; a change note is plain text, so escape it.
        return escape(update.note)

    def item_link(self, update):
        return absolute_url(update.get_absolute_url())

    def item_guid(self, update):
        # Every update links to the same list on the page, so each gets a stable id of its own.
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{update.get_absolute_url()}/{update.pk}").urn

    item_guid_is_permalink = False

    def item_updateddate(self, update):
        return update.public_timestamp

    item_pubdate = item_updateddate
