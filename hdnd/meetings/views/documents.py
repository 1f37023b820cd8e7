"""Pages: a meeting's documents (the panel, the list with search and upload), a
document's page (versions, signature, download, the viewer's private note), stamped
downloads, and searching a council's documents across its meetings."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hdnd.core.errors import DomainError
from hdnd.core.forms import add_domain_error
from hdnd.meetings import access
from hdnd.meetings import access as meeting_access
from hdnd.meetings.forms.documents import (
    DocumentForm,
    HighlightForm,
    NoteForm,
    PublishForm,
    SearchForm,
    UnpublishForm,
    VersionForm,
)
from hdnd.meetings.models import Document, Meeting
from hdnd.meetings.queries import documents as queries
from hdnd.meetings.services import documents as services


def _content_disposition(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


def _list_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "can_manage": access.is_manager(request.user, meeting.council_id),
        **queries.panel_documents(user=request.user, meeting=meeting),
    }


@require_GET
def panel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The documents panel alone (the meeting pages reload it over htmx)."""
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return render(request, "meetings/documents/_panel_body.html", _list_context(request, meeting))


def meeting_documents(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's documents: search, the list, and the office's upload form."""
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    can_manage = access.is_manager(request.user, meeting.council_id)
    form = None
    status = 200
    if can_manage:
        form = DocumentForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST":
        if form is None:
            access.access_meeting_manage(user=request.user, meeting_id=meeting.pk)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                document = services.add_document(
                    meeting_id=meeting.pk,
                    kind=data["kind"],
                    title=data["title"],
                    number=data["number"],
                    agenda_item_id=data["agenda_item"].pk if data["agenda_item"] else None,
                    file=data["file"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(
                    request, _("Document added: %(title)s") % {"title": document.title}
                )
                return redirect("meetings:document", document_id=document.pk)
        else:
            status = 400
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        **_list_context(request, meeting),
        "form": form,
        "search": search,
        "query": query,
        "results": (
            queries.search_meeting_documents(user=request.user, meeting=meeting, query=query)
            if query
            else None
        ),
    }
    return render(request, "meetings/documents/list.html", context, status=status)


def _document_context(request: HttpRequest, document: Document) -> dict[str, Any]:
    can_manage = access.is_manager(request.user, document.meeting.council_id)
    versions = list(document.versions.order_by("-number"))
    note = queries.note_of(document=document, user=request.user)
    return {
        "document": document,
        "meeting": document.meeting,
        "versions": versions,
        "current": versions[0] if versions else None,
        "can_manage": can_manage,
        "version_form": VersionForm(initial={"version": document.version}) if can_manage else None,
        "publish_form": PublishForm(initial={"version": document.version}),
        "unpublish_form": UnpublishForm(initial={"version": document.version}),
        "note": note,
        "note_form": NoteForm(initial={"text": note.text if note else ""}),
        "highlight_form": HighlightForm(),
    }


def document(request: HttpRequest, document_id: int) -> HttpResponse:
    found = meeting_access.access_document(user=request.user, document_id=document_id)
    return render(request, "meetings/documents/document.html", _document_context(request, found))


def new_version(request: HttpRequest, document_id: int) -> HttpResponse:
    found = meeting_access.access_document_manage(user=request.user, document_id=document_id)
    if request.method != "POST":
        return redirect("meetings:document", document_id=found.pk)
    form = VersionForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            version = services.add_version(
                document_id=found.pk,
                expected_version=form.cleaned_data["version"],
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            messages.success(
                request, _("Version %(number)s uploaded.") % {"number": version.number}
            )
            return redirect("meetings:document", document_id=found.pk)
    context = {**_document_context(request, found), "version_form": form}
    return render(request, "meetings/documents/document.html", context, status=status)


@require_POST
def publish(request: HttpRequest, document_id: int) -> HttpResponse:
    found = meeting_access.access_document_manage(user=request.user, document_id=document_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("meetings:document", document_id=found.pk)
    try:
        services.publish_document(
            document_id=found.pk, expected_version=form.cleaned_data["version"], actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document is published."))
    return redirect("meetings:document", document_id=found.pk)


@require_POST
def unpublish(request: HttpRequest, document_id: int) -> HttpResponse:
    """Withdraw a published document from the public page, with the reason; a refused
    form comes back with what was typed."""
    found = meeting_access.access_document_manage(user=request.user, document_id=document_id)
    form = UnpublishForm(request.POST)
    if form.is_valid():
        try:
            services.unpublish_document(
                document_id=found.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            messages.success(request, _("The document is for participants only again."))
            return redirect("meetings:document", document_id=found.pk)
    context = {**_document_context(request, found), "unpublish_form": form}
    return render(request, "meetings/documents/document.html", context, status=400)


@require_GET
def download(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version's file through the access check: a PDF stamped with the reader's name
    and the time on every page (never a public media address)."""
    version = meeting_access.access_version(user=request.user, version_id=version_id)
    result = queries.download_of(version=version, user=request.user)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = _content_disposition(result.filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The private note (htmx) ---------------------------------------------------------------


def _note_response(
    request: HttpRequest,
    document: Document,
    *,
    note_form: NoteForm | None = None,
    highlight_form: HighlightForm | None = None,
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    note = queries.note_of(document=document, user=request.user)
    context = {
        "document": document,
        "note": note,
        "note_form": note_form or NoteForm(initial={"text": note.text if note else ""}),
        "highlight_form": highlight_form or HighlightForm(),
        "saved": saved,
    }
    if request.headers.get("HX-Request") == "true":
        # htmx swaps nothing on a 4xx: answer 200 with the form's errors.
        return render(request, "meetings/documents/_note.html", context)
    if saved:
        return redirect("meetings:document", document_id=document.pk)
    full = {**_document_context(request, document), **context}
    return render(request, "meetings/documents/document.html", full, status=status)


@require_POST
def note_save(request: HttpRequest, document_id: int) -> HttpResponse:
    found = meeting_access.access_document(user=request.user, document_id=document_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _note_response(request, found, note_form=form, status=400)
    try:
        services.save_note(
            document_id=found.pk,
            user=request.user,
            text=form.cleaned_data["text"],
        )
    except DomainError as error:
        add_domain_error(form, error)
        return _note_response(request, found, note_form=form, status=error.status)
    return _note_response(request, found, saved=True)


@require_POST
def highlight_add(request: HttpRequest, document_id: int) -> HttpResponse:
    found = meeting_access.access_document(user=request.user, document_id=document_id)
    form = HighlightForm(request.POST)
    if not form.is_valid():
        return _note_response(request, found, highlight_form=form, status=400)
    try:
        services.add_highlight(document_id=found.pk, user=request.user, **form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return _note_response(request, found, highlight_form=form, status=error.status)
    return _note_response(request, found, saved=True)


@require_POST
def highlight_remove(request: HttpRequest, document_id: int, index: int) -> HttpResponse:
    found = meeting_access.access_document(user=request.user, document_id=document_id)
    services.remove_highlight(document_id=found.pk, user=request.user, index=index)
    return _note_response(request, found, saved=True)


# Search across a council's meetings ----------------------------------------------------


@require_GET
def council_search(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_meetings(user=request.user, council_id=council_id)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results = (
        queries.search_council_documents(user=request.user, council_id=council.pk, query=query)
        if query
        else None
    )
    context = {"council": council, "search": search, "query": query, "results": results}
    return render(request, "meetings/documents/search.html", context)


urlpatterns = [
    path("<int:meeting_id>/panels/documents/", panel, name="documents_panel"),
    path("<int:meeting_id>/documents/", meeting_documents, name="documents"),
    path("documents/<int:document_id>/", document, name="document"),
    path("documents/<int:document_id>/versions/", new_version, name="document_new_version"),
    path("documents/<int:document_id>/publish/", publish, name="document_publish"),
    path("documents/<int:document_id>/unpublish/", unpublish, name="document_unpublish"),
    path("documents/<int:document_id>/note/", note_save, name="document_note"),
    path("documents/<int:document_id>/highlights/", highlight_add, name="document_highlight_add"),
    path(
        "documents/<int:document_id>/highlights/<int:index>/remove/",
        highlight_remove,
        name="document_highlight_remove",
    ),
    path("files/<int:version_id>/", download, name="document_download"),
    path("council/<int:council_id>/documents/search/", council_search, name="documents_search"),
]
