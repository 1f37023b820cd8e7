"""Pages: the chair's poll console and the delegate's ballot (panels that re-render alone
through htmx), the actions behind their buttons, a poll's result, a meeting's polls, the
votes' export, and the verification of the sealed results."""

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hdnd.core.errors import DomainError, NotFound
from hdnd.core.forms import add_domain_error
from hdnd.meetings.access import (
    access_council_seals,
    access_meeting,
    access_meeting_run,
    can_run,
    participant_of,
)
from hdnd.meetings.models import Meeting
from hdnd.voting import services
from hdnd.voting.export import popolo, votes_csv
from hdnd.voting.forms import PollForm, posted_choices
from hdnd.voting.models import Poll, PollStatus
from hdnd.voting.panels import ballot_data, console_data, options
from hdnd.voting.queries import meeting_polls, poll_state, roll_call
from hdnd.voting.sealing import verify_council, verify_poll


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _poll(request: HttpRequest, poll_id: int) -> tuple[Poll, Meeting]:
    poll = Poll.objects.filter(id=poll_id).first()
    if poll is None:
        raise NotFound(_("This poll does not exist."))
    meeting = access_meeting(user=request.user, meeting_id=poll.meeting_id)
    return poll, meeting


def _base(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "participant": participant_of(request.user, meeting),
        "can_run": can_run(request.user, meeting),
    }


def _console(
    request: HttpRequest, meeting: Meeting, *, error: str = "", form: PollForm | None = None
) -> HttpResponse:
    context = _base(request, meeting)
    context["console"] = console_data(request.user, meeting, form=form)
    context["panel_error"] = error
    return render(request, "voting/panels/console.html", context)


def _ballot(request: HttpRequest, meeting: Meeting, *, error: str = "") -> HttpResponse:
    context = _base(request, meeting)
    context["ballot"] = ballot_data(request.user, meeting)
    context["panel_error"] = error
    return render(request, "voting/panels/ballot.html", context)


def _back(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    target = request.POST.get("next", "") or request.headers.get("Referer", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("voting:meeting_polls", meeting_id=meeting.pk)


def _expected_version(request: HttpRequest) -> int | None:
    value = request.POST.get("expected_version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _console_action(
    request: HttpRequest, meeting: Meeting, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run one service for a console button: with htmx the console comes back (a refusal
    shown in it), else the page it was on, with a message."""
    try:
        action()
    except DomainError as error:
        if _is_htmx(request):
            return _console(request, meeting, error=error.message)
        messages.error(request, error.message)
        return _back(request, meeting)
    if _is_htmx(request):
        return _console(request, meeting)
    messages.success(request, done)
    return _back(request, meeting)


# Panels.


@login_required
@require_GET
def panel_console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_run(user=request.user, meeting_id=meeting_id)
    return _console(request, meeting)


@login_required
@require_GET
def panel_ballot(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(user=request.user, meeting_id=meeting_id)
    return _ballot(request, meeting)


# The chair's actions.


@login_required
@require_POST
def create(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_run(user=request.user, meeting_id=meeting_id)
    form = PollForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.create_poll(
                meeting_id=meeting.pk, actor=request.user, **form.service_settings()
            )
        except DomainError as error:
            add_domain_error(form, error, always_on_top=True)
        else:
            if _is_htmx(request):
                return _console(request, meeting)
            messages.success(request, _("The poll is prepared."))
            return _back(request, meeting)
    if _is_htmx(request):
        return _console(request, meeting, form=form)
    messages.error(request, _("The poll was not prepared: check the form."))
    return _back(request, meeting)


@login_required
@require_POST
def open_poll(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, meeting = _poll(request, poll_id)
    version = _expected_version(request)
    return _console_action(
        request,
        meeting,
        lambda: services.open_poll(poll_id=poll.pk, actor=request.user, expected_version=version),
        _("Voting is open."),
    )


@login_required
@require_POST
def close_poll(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, meeting = _poll(request, poll_id)
    version = _expected_version(request)
    return _console_action(
        request,
        meeting,
        lambda: services.close_poll(poll_id=poll.pk, actor=request.user, expected_version=version),
        _("Voting is closed and the result sealed."),
    )


@login_required
@require_POST
def delete_poll(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, meeting = _poll(request, poll_id)
    version = _expected_version(request)
    return _console_action(
        request,
        meeting,
        lambda: services.delete_poll(poll_id=poll.pk, actor=request.user, expected_version=version),
        _("The poll is deleted."),
    )


@login_required
@require_POST
def revote(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, meeting = _poll(request, poll_id)
    return _console_action(
        request,
        meeting,
        lambda: services.revote(poll_id=poll.pk, actor=request.user),
        _("A re-vote is prepared: open it when the room is ready."),
    )


# The delegate's ballot (without WebSocket; the live room casts over it too).


@login_required
@require_POST
def cast(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, meeting = _poll(request, poll_id)
    try:
        result = services.cast_ballot(
            poll_id=poll.pk, user=request.user, choices=posted_choices(request.POST), channel="web"
        )
    except DomainError as error:
        if _is_htmx(request):
            return _ballot(request, meeting, error=error.message)
        messages.error(request, error.message)
        return _back(request, meeting)
    if _is_htmx(request):
        return _ballot(request, meeting)
    if result.already_recorded:
        messages.info(request, _("Your vote had already been recorded."))
    else:
        messages.success(request, _("Your vote was recorded."))
    return _back(request, meeting)


# Pages.


@login_required
@require_GET
def result(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll, meeting = _poll(request, poll_id)
    participant = participant_of(request.user, meeting)
    seal = getattr(poll, "seal", None) if poll.status == PollStatus.CLOSED else None
    context = {
        **_base(request, meeting),
        "poll": poll,
        "state": poll_state(poll, viewer_participant=participant),
        "options": options(poll),
        "roll_call": roll_call(poll),
        "seal": seal,
        "seal_problems": verify_poll(poll) if seal is not None else [],
        "revotes": list(poll.revotes.all()),
    }
    return render(request, "voting/result.html", context)


@login_required
@require_GET
def meeting_polls_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(user=request.user, meeting_id=meeting_id)
    context = {**_base(request, meeting), "polls": list(meeting_polls(meeting.pk))}
    return render(request, "voting/list.html", context)


@login_required
@require_GET
def export_json(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(user=request.user, meeting_id=meeting_id)
    body = json.dumps(popolo(meeting), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="votes-meeting-{meeting.pk}.json"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(user=request.user, meeting_id=meeting_id)
    # A byte-order mark so that Excel reads the Vietnamese text as UTF-8.
    response = HttpResponse("\ufeff" + votes_csv(meeting), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="votes-meeting-{meeting.pk}.csv"'
    return response


@login_required
@require_GET
def verify_page(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access_council_seals(user=request.user, council_id=council_id)
    verification = verify_council(council.pk)
    polls = {
        poll.pk: poll
        for poll in Poll.objects.filter(meeting__council_id=council.pk, status=PollStatus.CLOSED)
        .select_related("meeting", "seal")
        .order_by("id")
    }
    context = {"council": council, "verification": verification, "polls": polls}
    return render(request, "voting/verify.html", context)
