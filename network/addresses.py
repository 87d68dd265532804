"""Addresses that last: when a page, a help page, a centre or a policy area gets a new slug, each of
its old public addresses answers 301 to the new one.

The redirects are Django's own (django.contrib.redirects), listed in the admin; its middleware
looks one up only when an address answers 404, so a live page always wins. They are kept on the
model's save signals, whoever saves it (an admin form, a revert from History, publishing), in the
save's transaction when it runs in one, as the admin's saves and reverts do, and in a deletion's.

- A→B then B→C leaves A→C and B→C: no chains.
- A→B then B→A leaves B→A only: an address in use redirects nowhere.
- Deleting the object deletes the redirects to its addresses: old links then answer 404, as its
  own addresses do, rather than a redirect to a missing page.
"""

from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import Resolver404, resolve, reverse

# The model of the record each public address is made from, by the address's URL name.
MODELS_BY_URL_NAME = {}


def site_redirects():
    return Redirect.objects.filter(site_id=settings.SITE_ID)


def redirect_old_addresses(old_paths, new_paths):
    for old, new in zip(old_paths, new_paths, strict=True):
        site_redirects().filter(new_path=old).update(new_path=new)
        Redirect.objects.update_or_create(site_id=settings.SITE_ID, old_path=old, defaults={"new_path": new})


def keep_old_addresses(model, url_names):
    """Keep the addresses of `model` (the URLs named, each made from its slug) answering when its
    slug changes."""

    MODELS_BY_URL_NAME.update(dict.fromkeys(url_names, model))

    def addresses(slug):
        return [reverse(name, kwargs={"slug": slug}) for name in url_names]

    def read_the_stored_slug(sender, instance, raw, **kwargs):
        if not raw:  # loaddata writes records as they are, and keeps no redirects
            instance.stored_slug = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()

    def redirect_from_the_stored_slug(sender, instance, raw, **kwargs):
        if raw or instance.stored_slug == instance.slug:
            return
        new_paths = addresses(instance.slug)
        site_redirects().filter(old_path__in=new_paths).delete()
        if instance.stored_slug is not None:
            redirect_old_addresses(addresses(instance.stored_slug), new_paths)

    def forget_the_redirects(sender, instance, **kwargs):
        site_redirects().filter(new_path__in=addresses(instance.slug)).delete()

    uid = f"network.addresses.{model._meta.label}"
    pre_save.connect(read_the_stored_slug, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(redirect_from_the_stored_slug, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(forget_the_redirects, sender=model, weak=False, dispatch_uid=uid)


def is_a_records_address(path):
    """Whether `path` (without the script prefix) is a public address of a record that exists now:
    a page, a help page, a centre or a policy area. One query."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    model = MODELS_BY_URL_NAME.get(match.url_name)
    return model is not None and model._default_manager.filter(slug=match.kwargs["slug"]).exists()


def name_the_site(sender, using, apps=global_apps, **kwargs):
    """Django makes the one site as example.com; it is this site, at SITE_URL's host, so that the admin's
    "View on site" leads here. (`flush` sends the signal without `apps`.)"""
    try:
        Site = apps.get_model("sites", "Site")
    except LookupError:  # migrated back to before sites' tables, as Django's own handler allows
        return
    host = urlsplit(settings.SITE_URL).netloc
    Site.objects.using(using).filter(pk=settings.SITE_ID).update(domain=host, name=host)
