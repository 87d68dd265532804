"""django-csp's middleware, with the site's policy built once rather than for every response.

django-csp builds the Content-Security-Policy header afresh from settings for every response,
which cost about a sixteenth of building the public page. The site has one policy, set in
settings, and uses no nonces and no per-view policies; a response that does (django-csp's
decorators, `request.csp_nonce`), a report-only policy, excluded paths or DEBUG's error pages are
left to django-csp itself.
"""

import functools

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

PER_RESPONSE_POLICY = ("_csp_exempt", "_csp_config", "_csp_update", "_csp_replace")
PER_RESPONSE_REPORT_ONLY_POLICY = ("_csp_exempt_ro", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.cache
def site_policy():
    """The header for the site's policy, or None when django-csp must decide for each response."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    if (
        settings.DEBUG
        or policy.get("EXCLUDE_URL_PREFIXES")
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    ):
        return None
    return build_policy() or None


@receiver(setting_changed)
def forget_site_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        site_policy.cache_clear()


class SitePolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        policy = site_policy()
        if (
            policy is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE_POLICY + PER_RESPONSE_REPORT_ONLY_POLICY)
        ):
            return super().process_response(request, response)
        response.headers.setdefault(HEADER, policy)
        # As django-csp does: a nonce asked for after the header is written could not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
