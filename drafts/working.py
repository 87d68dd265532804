"""Working in a draft in the admin: staff choose a draft, and until they leave it every content
screen of the admin shows the content as the draft has it, and every save goes into the draft.

Each such request runs with the draft applied in a transaction that is rolled back (drafts/records.py):
the admin's own forms, inlines, actions, reverts and ordering pages work on the draft unchanged,
and what they write is kept in the draft instead of reaching the live site.
"""

import functools

from django.contrib import admin, messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format

from drafts.models import Draft
from drafts.records import ChangeRefused
from network.content_version import content_models

SESSION_KEY = "working_draft"
# The submit button of a content form that saves into a draft, and the fields that say which one.
SAVE_AS_DRAFT = "_save_as_draft"
DRAFT_FIELD = "draft"
NEW_DRAFT = "new"
NEW_DRAFT_NAME_FIELD = "new_draft_name"


def working_draft(request):
    """The draft this member of staff is working in (not yet published or discarded), or None."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    draft = Draft.objects.unfinished().filter(pk=pk).first()
    if draft is None:  # published or discarded since, perhaps by someone else
        del request.session[SESSION_KEY]
    return draft


def closed_meanwhile(request, pk):
    """The answer to a content form posted for a draft that was published or discarded since it was
    shown: nothing is saved (the form was meant for the draft, not for the live site), and the form
    is shown again, as the live site has it."""
    draft = Draft.objects.filter(pk=pk).first()
    closed = f"The draft “{draft}” was {draft.get_status_display().lower()}" if draft else "The draft was deleted"
    messages.error(request, f"{closed} while you were working in it. Nothing was saved: this is the live site.")
    return HttpResponseRedirect(request.get_full_path())


def work_in(request, draft):
    request.session[SESSION_KEY] = draft.pk


def leave(request):
    request.session.pop(SESSION_KEY, None)


def draft_to_save_into(request):
    """The draft a content form's "Save as draft" button chose: an open one, or a new one (not yet saved)."""
    if request.method != "POST" or SAVE_AS_DRAFT not in request.POST:
        return None
    if not request.user.has_perm("drafts.add_draft"):  # the button is not offered, but may be posted
        raise PermissionDenied
    chosen = request.POST.get(DRAFT_FIELD, NEW_DRAFT)
    if chosen != NEW_DRAFT:
        draft = Draft.objects.open().filter(pk=chosen if chosen.isdecimal() else None).first()
        if draft is not None:
            return draft
    name = request.POST.get(NEW_DRAFT_NAME_FIELD, "").strip()
    longest = Draft._meta.get_field("name").max_length
    if len(name) > longest:
        name = name[:longest]
        messages.warning(request, f"The draft’s name was too long: it is cut to its first {longest} characters.")
    default_name = (
        f"Changes by {request.user.get_full_name() or request.user} on {date_format(timezone.localdate(), 'j F Y')}"
    )
    return Draft(name=name or default_name, created_by=request.user)


def does_not_apply(request, draft, refused):
    """The page shown instead of a draft's content that the database can no longer hold (a live record
    took a name that a record the draft adds has, say): what went wrong, and where to go."""
    context = {
        **admin.site.each_context(request),
        "draft": draft,
        "refused": refused,
        "title": f"The draft “{draft}” no longer applies",
    }
    return TemplateResponse(request, "admin/drafts/does_not_apply.html", context, status=409)


def works_on_content(view):
    """Whether an admin view is one of a content model's (its forms, lists, history, actions)."""
    model_admin = getattr(view, "__self__", None)
    return isinstance(model_admin, ModelAdmin) and model_admin.model in content_models()


def in_working_draft(view):
    """Wrap an admin view: a content model's view runs in the draft the request works in or saves into."""
    on_content = works_on_content(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        worked_in = request.session.get(SESSION_KEY)
        request.draft = working_draft(request)
        if on_content and request.method == "POST" and worked_in is not None and request.draft is None:
            return closed_meanwhile(request, worked_in)
        if not on_content:
            return view(request, *args, **kwargs)
        request.draft = request.draft or draft_to_save_into(request)
        if request.draft is None:
            if request.method == "POST" and not publishes_directly(request.user):
                raise PermissionDenied("Editors change content in a draft, which a publisher reviews.")
            return view(request, *args, **kwargs)
        if request.method == "POST" and not request.draft.is_open:
            messages.error(
                request,
                f"Nothing was saved: the draft “{request.draft}” is {request.draft.get_status_display().lower()}, "
                "and cannot change until its author withdraws it or a reviewer sends it back"
                + (" (once it is unscheduled)." if request.draft.is_scheduled else "."),
            )
            return HttpResponseRedirect(request.get_full_path())

        def respond():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # while the draft is applied
            return response

        try:
            response = request.draft.run(respond, request.user)
        except ChangeRefused as refused:
            return does_not_apply(request, request.draft, refused)
        if request.draft.pk is not None:
            work_in(request, request.draft)
        return response

    return wrapper


def publishes_directly(user):
    """Whether a member of staff may save content straight to the live site: publishers may, as they
    may publish a draft; editors change content in drafts, which a publisher reviews."""
    return user.has_perm("drafts.publish_draft")


def save_as_draft_choices(request):
    """What a content form's "Save as draft" offers: the open drafts to save into, or a new one."""
    if not request.user.has_perm("drafts.add_draft"):
        return None
    return {
        "button": SAVE_AS_DRAFT,
        "draft_field": DRAFT_FIELD,
        "new": NEW_DRAFT,
        "new_name_field": NEW_DRAFT_NAME_FIELD,
        "chosen": request.POST.get(DRAFT_FIELD, NEW_DRAFT),
        "new_name": request.POST.get(NEW_DRAFT_NAME_FIELD, ""),
        "drafts": list(Draft.objects.open().newest_first().select_related("created_by")),
    }
