"""Pages: answer documents (with their digital signature), recording, revising and
publishing a petition's answer, and publishing a session's evaluated answers."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.core.navigation import may_open
from hdnd.core.paging import page_of
from hdnd.petitions import access
from hdnd.petitions.forms.answers import (
    AnswerDocumentForm,
    AnswerForm,
    PublishCycleForm,
    VersionForm,
)
from hdnd.petitions.models import Petition, PetitionStatus
from hdnd.petitions.queries import answers as queries
from hdnd.petitions.services import answers as services
from hdnd.petitions.services.common import ALLOWED_FROM

PAGE_SIZE = 50


# Answer documents ----------------------------------------------------------------------


def documents(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_answer_documents(user=request.user, council_id=council_id)
    may_register = may_open(
        access.access_register_answer_document, user=request.user, council_id=council.pk
    )
    is_manager = access.is_manager(request.user, council.pk)
    form = None
    status = 200
    if may_register:
        form = AnswerDocumentForm(
            request.POST or None,
            request.FILES or None,
            agencies=queries.document_agencies(user=request.user, council_id=council.pk),
            agency_required=not is_manager,
        )
    if request.method == "POST":
        if form is None:
            access.access_register_answer_document(user=request.user, council_id=council.pk)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                document = services.register_answer_document(
                    council_id=council.pk,
                    agency_id=data["agency"].pk if data["agency"] else None,
                    number=data["number"],
                    issued_on=data["issued_on"],
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                    file=data["file"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Document %(number)s registered.") % {"number": document.number},
                )
                return redirect("petitions:answer_document", document_id=document.pk)
        else:
            status = 400
    listing = queries.document_list(
        queries.visible_documents(user=request.user, council_id=council.pk)
    )
    context = {
        "council": council,
        "form": form,
        "page": page_of(request, listing, per_page=PAGE_SIZE),
        "is_manager": is_manager,
        "is_reader": access.is_reader(request.user, council.pk),
    }
    return render(request, "petitions/answers/documents.html", context, status=status)


def document(request: HttpRequest, document_id: int) -> HttpResponse:
    found = access.access_answer_document(user=request.user, document_id=document_id)
    context = {
        "document": found,
        "council": found.council,
        "answers": queries.document_answers(found, user=request.user),
        "may_verify": may_open(
            access.access_answer_document_verify, user=request.user, document_id=found.pk
        ),
        "is_manager": access.is_manager(request.user, found.council_id),
        "is_reader": access.is_reader(request.user, found.council_id),
    }
    return render(request, "petitions/answers/document.html", context)


def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    found = access.access_answer_document(user=request.user, document_id=document_id)
    if not found.file:
        raise NotFound(_("This document has no file."))
    return FileResponse(
        found.file.open("rb"),
        filename=Path(found.file.name).name,
        content_type="application/pdf",
    )


@require_POST
def document_verify(request: HttpRequest, document_id: int) -> HttpResponse:
    found = access.access_answer_document_verify(user=request.user, document_id=document_id)
    try:
        checked = services.verify_document_again(document_id=found.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Signature checked again: %(status)s")
            % {"status": checked.get_signature_status_display()},
        )
    return redirect("petitions:answer_document", document_id=found.pk)


# A petition's answer --------------------------------------------------------------------


def record(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_answer(user=request.user, petition_id=petition_id)
    documents = queries.answer_choices(user=request.user, petition=petition)
    initial = {"version": petition.version, "answered_on": timezone.localdate()}
    form = AnswerForm(request.POST or None, initial=initial, documents=documents)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_answer(
                    petition_id=petition.pk,
                    expected_version=data["version"],
                    text=data["text"],
                    result=data["result"],
                    roadmap=data["roadmap"],
                    planned_completion=data["planned_completion"],
                    answered_on=data["answered_on"],
                    document_id=data["document"].pk if data["document"] else None,
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The answer is recorded."))
                return redirect("petitions:detail", petition_id=petition.pk)
        else:
            status = 400
    context = {"petition": petition, "council": petition.council, "form": form, "revising": False}
    return render(request, "petitions/answers/record.html", context, status=status)


def revise(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_answer(user=request.user, petition_id=petition_id)
    current = petition.answers.filter(is_current=True).first()
    if current is None:
        raise NotFound(_("This petition has no answer yet."))
    documents = queries.answer_choices(user=request.user, petition=petition)
    initial = {
        "version": petition.version,
        "text": current.text,
        "result": current.result,
        "roadmap": current.roadmap,
        "planned_completion": current.planned_completion,
        "answered_on": current.answered_on,
        "document": current.document_id,
    }
    form = AnswerForm(request.POST or None, initial=initial, documents=documents)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.revise_answer(
                    petition_id=petition.pk,
                    expected_version=data["version"],
                    text=data["text"],
                    result=data["result"],
                    roadmap=data["roadmap"],
                    planned_completion=data["planned_completion"],
                    answered_on=data["answered_on"],
                    document_id=data["document"].pk if data["document"] else None,
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The answer is revised."))
                return redirect("petitions:detail", petition_id=petition.pk)
        else:
            status = 400
    context = {"petition": petition, "council": petition.council, "form": form, "revising": True}
    return render(request, "petitions/answers/record.html", context, status=status)


@require_POST
def publish(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.access_petition_manage(user=request.user, petition_id=petition_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("petitions:detail", petition_id=petition.pk)
    try:
        services.publish_answer(
            petition_id=petition.pk,
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The answer is published."))
    return redirect("petitions:detail", petition_id=petition.pk)


def publish_cycle(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_manage(user=request.user, council_id=council_id)
    form = PublishCycleForm(request.POST or None, council_id=council.pk)
    if request.method == "POST" and form.is_valid():
        cycle = form.cleaned_data["cycle"]
        try:
            count = services.publish_cycle_answers(
                council_id=council.pk, cycle_id=cycle.pk, actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s answer of %(cycle)s published.",
                    "%(count)s answers of %(cycle)s published.",
                    count,
                )
                % {"count": count, "cycle": cycle.name},
            )
        return redirect("petitions:publish_answers", council_id=council.pk)
    context = {
        "council": council,
        "form": form,
        "cycles": queries.cycle_publishable_counts(council_id=council.pk),
        "is_manager": True,
        "is_reader": access.is_reader(request.user, council.pk),
    }
    return render(request, "petitions/answers/publish.html", context)


urlpatterns = [
    path("<int:council_id>/answer-documents/", documents, name="answer_documents"),
    path("answer-documents/<int:document_id>/", document, name="answer_document"),
    path("answer-documents/<int:document_id>/file/", document_file, name="answer_document_file"),
    path(
        "answer-documents/<int:document_id>/verify/",
        document_verify,
        name="answer_document_verify",
    ),
    path("p/<int:petition_id>/answer/", record, name="answer_record"),
    path("p/<int:petition_id>/answer/revise/", revise, name="answer_revise"),
    path("p/<int:petition_id>/answer/publish/", publish, name="answer_publish"),
    path("<int:council_id>/answers/publish/", publish_cycle, name="publish_answers"),
]


def panel(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    """Context for this topic's panel on the petition page (templates/petitions/panels/answers.html)."""
    answers = queries.petition_answers(petition)
    current = next((answer for answer in answers if answer.is_current), None)
    may_answer = may_open(access.access_petition_answer, user=request.user, petition_id=petition.pk)
    is_manager = access.is_manager(request.user, petition.council_id)
    unpublished = current is not None and current.published_at is None
    return {
        "answers": answers,
        "current": current,
        "can_record": may_answer and petition.status in ALLOWED_FROM["answer"],
        "can_revise": may_answer
        and unpublished
        and petition.status in ALLOWED_FROM["revise_answer"],
        "can_publish": is_manager
        and unpublished
        and petition.status in ALLOWED_FROM["publish_answer"],
        "is_follow_up": petition.status == PetitionStatus.MONITORING,
        "version": petition.version,
    }
