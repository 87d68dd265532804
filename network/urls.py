from django.contrib import admin
from django.urls import path, re_path, reverse_lazy
from django.views.generic import RedirectView

from centres.views import centre_page, policy_area_page
from drafts.views import fact_check, preview
from feedback.views import send_feedback, thank_you
from network import health, views
from network.caching import cached_public_page
from network.content_api import page_content
from network.timeline import network_timeline
from updates.feeds import PageUpdatesFeed

urlpatterns = [
    path(
        "",
        RedirectView.as_view(url=reverse_lazy("guidance-page", kwargs={"slug": "what-works-network"})),
        name="home",
    ),
    path("guidance/<slug:slug>", cached_public_page(views.guidance_page), name="guidance-page"),
    path("guidance/<slug:slug>.atom", cached_public_page(PageUpdatesFeed()), name="guidance-page-feed"),
    path("guidance/<slug:slug>/history", cached_public_page(network_timeline), name="network-timeline"),
    path("api/content/guidance/<slug:slug>", cached_public_page(page_content), name="guidance-page-content"),
    path("centres/<slug:slug>", cached_public_page(centre_page), name="centre"),
    path("policy-areas/<slug:slug>", cached_public_page(policy_area_page), name="policy-area"),
    path("help/<slug:slug>", cached_public_page(views.help_page), name="help-page"),
    path("feedback", send_feedback, name="feedback"),
    path("feedback/thank-you", thank_you, name="feedback-thank-you"),
    re_path(r"^preview/(?P<pk>[0-9]+)/(?P<path>.*)$", preview, name="draft-preview"),
    re_path(r"^fact-check/(?P<token>[^/]+)/(?P<path>.*)$", fact_check, name="fact-check"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
