"""Pages of the floor and of questioning: the speakers and questions panels (each
re-rendered alone by htmx), the floor page with the log of speeches, the questioning page
with its topics, questions and exports, and the actions behind their buttons.

A button posts with htmx and gets its panel back; without JavaScript the form posts and
the browser returns to the page it came from. Refusals (DomainError) go through the
error middleware: into the page's message area for htmx, else a message and back."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.lib.docx import DOCX_CONTENT_TYPE
from hdnd.lib.xlsx import XLSX_CONTENT_TYPE
from hdnd.meetings import access
from hdnd.meetings.forms.floor import (
    AddSpeakerForm,
    AnswerForm,
    FollowUpForm,
    GrantForm,
    LimitForm,
    MoveForm,
    QuestionForm,
    QuestionMoveForm,
    SpeechRequestForm,
    TopicForm,
    VersionForm,
)
from hdnd.meetings.models import Meeting, Question, SpeechRequest
from hdnd.meetings.queries import questioning as question_queries
from hdnd.meetings.queries import speaking as speaking_queries
from hdnd.meetings.queries.questioning_export import (
    file_name,
    questioning_docx,
    questioning_xlsx,
)
from hdnd.meetings.services import questioning as question_services
from hdnd.meetings.services import speaking as speaking_services

SPEAKERS_PANEL = "meetings/panels/speakers.html"
QUESTIONS_PANEL = "meetings/panels/questions.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _invalid(form: Any) -> DomainError:
    errors = {name: [str(message) for message in field] for name, field in form.errors.items()}
    return DomainError(_("Check the values entered and try again."), fields=errors)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(referer)
    return HttpResponseRedirect(fallback)


# Context of the panels.


def speakers_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    participant = access.participant_of(request.user, meeting)
    can_run = access.can_run(request.user, meeting)
    floor = speaking_queries.floor_state(meeting, participant=participant)
    return {
        "meeting": meeting,
        "participant": participant,
        "can_run": can_run,
        "floor": floor,
        "may_request": participant is not None and participant.votes,
        "request_form": SpeechRequestForm(),
        "add_form": AddSpeakerForm(meeting=meeting) if can_run else None,
    }


def questions_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    participant = access.participant_of(request.user, meeting)
    questions = list(
        question_queries.questions_of(meeting).filter(
            status__in=list(question_queries.OPEN_STATUSES)
        )
    )
    return {
        "meeting": meeting,
        "participant": participant,
        "can_run": access.can_run(request.user, meeting),
        "questions_loaded": True,
        "asked": next((one for one in questions if one.status == "asked"), None),
        "registered": [one for one in questions if one.status == "registered"],
    }


def _speakers_panel(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return render(request, SPEAKERS_PANEL, speakers_context(request, meeting))


def _questions_panel(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return render(request, QUESTIONS_PANEL, questions_context(request, meeting))


# Pages and panels.


@require_GET
def speakers_panel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return _speakers_panel(request, meeting)


@require_GET
def questions_panel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return _questions_panel(request, meeting)


@require_GET
def floor_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    log = [
        {"speech": speech, "over": speaking_queries.went_over(speech)}
        for speech in speaking_queries.speech_log(meeting)
    ]
    context = {**speakers_context(request, meeting), "log": log}
    return render(request, "meetings/floor/floor.html", context)


# Speaking.


def _speech_done(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    if _is_htmx(request):
        return _speakers_panel(request, meeting)
    messages.success(request, message)
    return _back(request, reverse("meetings:floor", args=[meeting.pk]))


def _speech_meeting(request_id: int) -> int:
    meeting_id = (
        SpeechRequest.objects.filter(id=request_id)
        .values_list("agenda_item__meeting_id", flat=True)
        .first()
    )
    if meeting_id is None:
        raise NotFound(_("This request to speak does not exist."))
    return int(meeting_id)


@require_POST
def request_speech(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, _participant = access.access_meeting_participate(
        user=request.user, meeting_id=meeting_id
    )
    form = SpeechRequestForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    speaking_services.request_speech(
        meeting_id=meeting.pk,
        actor=request.user,
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
    )
    return _speech_done(request, meeting, _("You are on the list of speakers."))


@require_POST
def add_speaker(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    form = AddSpeakerForm(request.POST, meeting=meeting)
    if not form.is_valid():
        raise _invalid(form)
    minutes = form.cleaned_data["limit_minutes"]
    speaking_services.add_speaker(
        meeting_id=meeting.pk,
        actor=request.user,
        participant_id=form.cleaned_data["participant"],
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
        limit_seconds=minutes * 60 if minutes else None,
    )
    return _speech_done(request, meeting, _("Added to the list of speakers."))


@require_POST
def withdraw_speech(request: HttpRequest, request_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=_speech_meeting(request_id))
    speaking_services.withdraw_speech(request_id=request_id, actor=request.user)
    return _speech_done(request, meeting, _("The request to speak was withdrawn."))


@require_POST
def move_speech(request: HttpRequest, request_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=_speech_meeting(request_id))
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    speaking_services.move_speech(
        request_id=request_id, actor=request.user, move=form.cleaned_data["move"]
    )
    return _speech_done(request, meeting, _("The list of speakers was reordered."))


@require_POST
def set_speech_limit(request: HttpRequest, request_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=_speech_meeting(request_id))
    form = LimitForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    speaking_services.set_speech_limit(
        request_id=request_id,
        actor=request.user,
        limit_seconds=form.cleaned_data["limit_minutes"] * 60,
    )
    return _speech_done(request, meeting, _("The time limit was changed."))


@require_POST
def grant_floor(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    form = GrantForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    speech = speaking_services.grant_floor(
        meeting_id=meeting.pk,
        actor=request.user,
        request_id=form.cleaned_data["request"],
        end_current=form.cleaned_data["end_current"],
    )
    return _speech_done(
        request,
        meeting,
        _("%(name)s has the floor.") % {"name": speech.participant.person},
    )


@require_POST
def end_speech(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    speaking_services.end_speech(meeting_id=meeting.pk, actor=request.user)
    return _speech_done(request, meeting, _("The speech has ended."))


# Questioning.


def _questioning_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    participant = access.participant_of(request.user, meeting)
    can_run = access.can_run(request.user, meeting)
    may_ask = participant is not None and participant.votes
    return {
        **questions_context(request, meeting),
        "meeting": meeting,
        "participant": participant,
        "can_run": can_run,
        "may_ask": may_ask,
        "blocks": question_queries.questioning_blocks(meeting),
        "topic_form": forms.get("topic_form") or (TopicForm(meeting=meeting) if can_run else None),
        "question_form": forms.get("question_form")
        or (QuestionForm(meeting=meeting, for_others=can_run) if may_ask or can_run else None),
        "follow_up_form": FollowUpForm() if may_ask else None,
        "answer_form": AnswerForm() if can_run else None,
    }


@require_GET
def questioning_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    return render(
        request, "meetings/floor/questioning.html", _questioning_context(request, meeting)
    )


def _questioning_done(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    if _is_htmx(request):
        return _questions_panel(request, meeting)
    messages.success(request, message)
    return _back(request, reverse("meetings:questioning", args=[meeting.pk]))


def _question_meeting(question_id: int) -> int:
    meeting_id = Question.objects.filter(id=question_id).values_list("meeting_id", flat=True)
    found = meeting_id.first()
    if found is None:
        raise NotFound(_("This question does not exist."))
    return int(found)


@require_POST
def add_topic(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(user=request.user, meeting_id=meeting_id)
    form = TopicForm(request.POST, meeting=meeting)
    status = 400
    if form.is_valid():
        try:
            question_services.add_topic(
                meeting_id=meeting.pk,
                actor=request.user,
                title=form.cleaned_data["title"],
                respondent_ids=form.cleaned_data["respondents"],
                petition_ids=form.cleaned_data["petitions"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Questioning topic added."))
            return HttpResponseRedirect(reverse("meetings:questioning", args=[meeting.pk]))
    context = _questioning_context(request, meeting, topic_form=form)
    return render(request, "meetings/floor/questioning.html", context, status=status)


@require_POST
def register_question(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    can_run = access.can_run(request.user, meeting)
    form = QuestionForm(request.POST, meeting=meeting, for_others=can_run)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            question_services.register_question(
                meeting_id=meeting.pk,
                actor=request.user,
                text=data["text"],
                respondent_id=data["respondent"],
                topic_id=data["topic"],
                asker_id=data.get("asker"),
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Question registered."))
            return HttpResponseRedirect(reverse("meetings:questioning", args=[meeting.pk]))
    context = _questioning_context(request, meeting, question_form=form)
    return render(request, "meetings/floor/questioning.html", context, status=status)


@require_POST
def follow_up(request: HttpRequest, question_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=_question_meeting(question_id))
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    question_services.register_question(
        meeting_id=meeting.pk,
        actor=request.user,
        text=form.cleaned_data["text"],
        kind=form.cleaned_data["kind"],
        follows_id=question_id,
    )
    return _questioning_done(request, meeting, _("Registered."))


def _version(request: HttpRequest) -> int | None:
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    version: int | None = form.cleaned_data["version"]
    return version


@require_POST
def call_question(request: HttpRequest, question_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(
        user=request.user, meeting_id=_question_meeting(question_id)
    )
    question_services.call_question(
        question_id=question_id, actor=request.user, expected_version=_version(request)
    )
    return _questioning_done(request, meeting, _("The question was called."))


@require_POST
def answer_question(request: HttpRequest, question_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(
        user=request.user, meeting_id=_question_meeting(question_id)
    )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    question_services.record_answer(
        question_id=question_id,
        actor=request.user,
        answer=form.cleaned_data["answer"],
        expected_version=form.cleaned_data["version"],
    )
    return _questioning_done(request, meeting, _("The answer was recorded."))


@require_POST
def withdraw_question(request: HttpRequest, question_id: int) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=_question_meeting(question_id))
    question_services.withdraw_question(
        question_id=question_id, actor=request.user, expected_version=_version(request)
    )
    return _questioning_done(request, meeting, _("The question was withdrawn."))


@require_POST
def move_question(request: HttpRequest, question_id: int) -> HttpResponse:
    meeting = access.access_meeting_run(
        user=request.user, meeting_id=_question_meeting(question_id)
    )
    form = QuestionMoveForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    question_services.move_question(
        question_id=question_id,
        actor=request.user,
        move=form.cleaned_data["move"],
        expected_version=form.cleaned_data["version"],
    )
    return _questioning_done(request, meeting, _("The questions were reordered."))


@require_http_methods(["GET", "HEAD"])
def questioning_export(request: HttpRequest, meeting_id: int, extension: str) -> HttpResponse:
    meeting = access.access_meeting(user=request.user, meeting_id=meeting_id)
    if extension == "xlsx":
        body, content_type = questioning_xlsx(meeting), XLSX_CONTENT_TYPE
    else:
        body, content_type = questioning_docx(meeting), DOCX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(meeting, extension)}"'
    return response


urlpatterns = [
    path("<int:meeting_id>/floor/", floor_page, name="floor"),
    path("<int:meeting_id>/panels/speakers/", speakers_panel, name="speakers_panel"),
    path("<int:meeting_id>/panels/questions/", questions_panel, name="questions_panel"),
    path("<int:meeting_id>/floor/request/", request_speech, name="speech_request"),
    path("<int:meeting_id>/floor/add/", add_speaker, name="speech_add"),
    path("<int:meeting_id>/floor/grant/", grant_floor, name="floor_grant"),
    path("<int:meeting_id>/floor/end/", end_speech, name="floor_end"),
    path("speeches/<int:request_id>/withdraw/", withdraw_speech, name="speech_withdraw"),
    path("speeches/<int:request_id>/move/", move_speech, name="speech_move"),
    path("speeches/<int:request_id>/limit/", set_speech_limit, name="speech_limit"),
    path("<int:meeting_id>/questioning/", questioning_page, name="questioning"),
    path("<int:meeting_id>/questioning/topics/", add_topic, name="questioning_topic_add"),
    path("<int:meeting_id>/questioning/questions/", register_question, name="question_register"),
    path(
        "<int:meeting_id>/questioning/export.xlsx",
        questioning_export,
        {"extension": "xlsx"},
        name="questioning_xlsx",
    ),
    path(
        "<int:meeting_id>/questioning/export.docx",
        questioning_export,
        {"extension": "docx"},
        name="questioning_docx",
    ),
    path("questions/<int:question_id>/follow-up/", follow_up, name="question_follow_up"),
    path("questions/<int:question_id>/call/", call_question, name="question_call"),
    path("questions/<int:question_id>/answer/", answer_question, name="question_answer"),
    path("questions/<int:question_id>/withdraw/", withdraw_question, name="question_withdraw"),
    path("questions/<int:question_id>/move/", move_question, name="question_move"),
]
