"""The projector page (big screen, read-only): no sign-in, the meeting's display key.

The page follows the room over the WebSocket (`ws/meetings/display/<key>/`); on each
update the script fetches the page's body again (`?part=body`), rendered here from the
room's public snapshot, so every word on the screen is translated on the server.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from hdnd.meetings.access import access_meeting_display
from hdnd.meetings.models import Meeting
from hdnd.meetings.queries import speaking
from hdnd.meetings.queries.room import room_state
from hdnd.voting.models import Choice


def display_context(meeting: Meeting) -> dict[str, Any]:
    meeting = Meeting.objects.select_related("current_sitting").get(pk=meeting.pk)
    state = room_state(meeting)
    poll = state["poll"]
    labels = dict(Choice.choices)
    order = {choice: index for index, choice in enumerate(labels)}
    rows: list[dict[str, Any]] = []
    # Counts only when the poll shows them (a secret poll: once closed); never who voted how.
    for subject in poll["subjects"] if poll is not None else []:
        if "counts" not in subject:
            continue
        rows.append(
            {
                "label": subject["label"],
                "passed": subject.get("passed"),
                "elected": subject.get("elected"),
                "choices": [
                    {
                        "label": labels.get(choice, choice),
                        "count": count,
                        "percentage": subject["percentages"].get(choice, ""),
                    }
                    # In the ballot's order (a frozen result keeps its keys sorted).
                    for choice, count in sorted(
                        subject["counts"].items(), key=lambda pair: order.get(pair[0], len(order))
                    )
                ],
            }
        )
    return {
        "meeting": meeting,
        "state": state,
        "speech": speaking.current_speaker(meeting),
        "poll": poll,
        "result_rows": rows,
    }


@require_GET
def display(request: HttpRequest, key: str) -> HttpResponse:
    meeting = access_meeting_display(key=key)
    context = display_context(meeting)
    context["key"] = key
    context["body_only"] = request.GET.get("part") == "body"
    response = render(request, "meetings/display.html", context)
    # The key is in the address: not to be sent on to other sites.
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    path("display/<str:key>/", display, name="display"),
]
