from django.contrib import admin
from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from centres.views import centre_page, policy_area_page
from network import health, views
from network.caching import cached_public_page
from network.content_api import page_content
from network.timeline import network_timeline
from updates.feeds import PageUpdatesFeed

admin.site.site_header = "What Works Network publishing"
admin.site.site_title = "What Works Network publishing"
admin.site.index_title = "Content"

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
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
