from django.contrib import admin
from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from network import views
from network.caching import cached_public_page

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
    path("admin/", admin.site.urls),
]
