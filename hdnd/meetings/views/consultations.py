"""Pages: a council's written consultations (lấy ý kiến bằng văn bản): the list, preparing
one, answering (a member), opening and closing (the office), the results and their
export."""

from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.lib.xlsx import XLSX_CONTENT_TYPE, add_sheet, new_workbook, workbook_bytes
from hdnd.meetings import access
from hdnd.meetings import access as meeting_access
from hdnd.meetings.forms.consultations import AnswerForm, ConsultationForm, VersionForm
from hdnd.meetings.models import Consultation, ConsultationStatus
from hdnd.meetings.queries import consultations as queries
from hdnd.meetings.queries.documents import stamped_download
from hdnd.meetings.services import consultations as services
from hdnd.meetings.services.documents import guess_content_type


def council_consultations(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_meetings(user=request.user, council_id=council_id)
    context = {
        "council": council,
        "consultations": queries.council_consultations(user=request.user, council_id=council.pk),
        "can_manage": access.is_manager(request.user, council.pk),
    }
    return render(request, "meetings/consultations/list.html", context)


def create(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access.access_council_meetings_manage(user=request.user, council_id=council_id)
    form = ConsultationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation = services.create_consultation(
                    council_id=council.pk,
                    title=data["title"],
                    question=data["question"],
                    deadline=data["deadline"],
                    document=data["document"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The consultation is prepared: open it to ask."))
                return redirect("meetings:consultation", consultation_id=consultation.pk)
        else:
            status = 400
    context = {"council": council, "form": form}
    return render(request, "meetings/consultations/create.html", context, status=status)


def _detail_context(request: HttpRequest, consultation: Consultation) -> dict[str, object]:
    can_manage = access.is_manager(request.user, consultation.council_id)
    seat = queries.member_seat(consultation, request.user)
    mine = queries.my_response(consultation=consultation, user=request.user)
    accepts = queries.accepts_answers(consultation)
    form = None
    if seat is not None and accepts:
        form = AnswerForm(
            initial={"choice": mine.choice, "comment": mine.comment} if mine else None
        )
    return {
        "consultation": consultation,
        "council": consultation.council,
        "can_manage": can_manage,
        "is_member": seat is not None,
        "mine": mine,
        "accepts": accepts,
        "form": form,
        "version_form": VersionForm(initial={"version": consultation.version}),
        "may_see_results": meeting_access.may_see_results(request.user, consultation),
        "tally": queries.tally(consultation)
        if consultation.status != ConsultationStatus.DRAFT
        else None,
        "not_answered": queries.members_not_answered(consultation) if can_manage else [],
        "closes_early": can_manage and queries.closes_early(consultation),
    }


def detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The question; a member's answer form; the office's controls and who has not
    answered."""
    consultation = meeting_access.access_consultation(
        user=request.user, consultation_id=consultation_id
    )
    context = _detail_context(request, consultation)
    return render(request, "meetings/consultations/detail.html", context)


@require_POST
def answer(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = meeting_access.access_consultation(
        user=request.user, consultation_id=consultation_id
    )
    form = AnswerForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.answer_consultation(
                consultation_id=consultation.pk,
                user=request.user,
                choice=form.cleaned_data["choice"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("meetings:consultation", consultation_id=consultation.pk)
    context = {**_detail_context(request, consultation), "form": form}
    return render(request, "meetings/consultations/detail.html", context, status=status)


def _transition(request: HttpRequest, consultation_id: int, *, opening: bool) -> HttpResponse:
    consultation = meeting_access.access_consultation_manage(
        user=request.user, consultation_id=consultation_id
    )
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("meetings:consultation", consultation_id=consultation.pk)
    try:
        if opening:
            services.open_consultation(
                consultation_id=consultation.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        else:
            services.close_consultation(
                consultation_id=consultation.pk,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                early=bool(request.POST.get("confirm")),
            )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The consultation is open: members may answer.")
            if opening
            else _("The consultation is closed: its result is final."),
        )
    return redirect("meetings:consultation", consultation_id=consultation.pk)


@require_POST
def open_view(request: HttpRequest, consultation_id: int) -> HttpResponse:
    return _transition(request, consultation_id, opening=True)


@require_POST
def close_view(request: HttpRequest, consultation_id: int) -> HttpResponse:
    return _transition(request, consultation_id, opening=False)


def _visible_results(request: HttpRequest, consultation_id: int) -> Consultation:
    consultation = meeting_access.access_consultation(
        user=request.user, consultation_id=consultation_id
    )
    if not meeting_access.may_see_results(request.user, consultation):
        raise NotFound(_("The results are shown once the consultation is closed."))
    return consultation


@require_GET
def results(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _visible_results(request, consultation_id)
    context = {
        "consultation": consultation,
        "council": consultation.council,
        "tally": queries.tally(consultation),
        "responses": queries.responses(consultation),
        "not_answered": queries.members_not_answered(consultation),
    }
    return render(request, "meetings/consultations/results.html", context)


@require_GET
def results_xlsx(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _visible_results(request, consultation_id)
    tally = queries.tally(consultation)
    workbook = new_workbook()
    summary_rows: list[list[object]] = [
        [one.label, one.count, float(one.percent)] for one in tally.choices
    ]
    summary_rows.append([_("Not answered"), tally.not_answered, float(tally.not_answered_percent)])
    summary_rows.append([_("Members asked"), tally.total_members, 100.0])
    add_sheet(
        workbook,
        _("Result"),
        headers=[_("Answer"), _("Members"), _("Percentage of the members asked")],
        rows=summary_rows,
        widths=[30, 12, 34],
        heading=consultation.title,
    )
    add_sheet(
        workbook,
        _("Answers"),
        headers=[_("Member"), _("Answer"), _("Comment"), _("Answered at")],
        rows=(
            [
                response.membership.person.full_name,
                response.get_choice_display(),
                response.comment,
                timezone.localtime(response.responded_at).strftime("%d/%m/%Y %H:%M"),
            ]
            for response in queries.responses(consultation)
        ),
        widths=[32, 18, 60, 18],
    )
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=f"lay-y-kien-{consultation.pk}.xlsx"
        )
        or "attachment"
    )
    return response


@require_GET
def document(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The consultation's document, stamped like a meeting's when it is a PDF."""
    consultation = meeting_access.access_consultation(
        user=request.user, consultation_id=consultation_id
    )
    if not consultation.document:
        raise NotFound(_("This consultation has no document."))
    with consultation.document.open("rb") as stored:
        content = stored.read()
    filename = Path(consultation.document.name).name
    result = stamped_download(
        content=content,
        filename=filename,
        content_type=guess_content_type(filename),
        user=request.user,
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=result.filename) or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path(
        "council/<int:council_id>/consultations/",
        council_consultations,
        name="consultations",
    ),
    path("council/<int:council_id>/consultations/new/", create, name="consultation_create"),
    path("consultations/<int:consultation_id>/", detail, name="consultation"),
    path("consultations/<int:consultation_id>/answer/", answer, name="consultation_answer"),
    path("consultations/<int:consultation_id>/open/", open_view, name="consultation_open"),
    path("consultations/<int:consultation_id>/close/", close_view, name="consultation_close"),
    path("consultations/<int:consultation_id>/results/", results, name="consultation_results"),
    path(
        "consultations/<int:consultation_id>/results.xlsx",
        results_xlsx,
        name="consultation_results_xlsx",
    ),
    path(
        "consultations/<int:consultation_id>/document/",
        document,
        name="consultation_document",
    ),
]
