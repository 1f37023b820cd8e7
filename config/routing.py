from typing import Any

from django.urls import path

from hdnd.meetings import consumers as meeting_consumers

# Each module that pushes live updates adds its consumers here.
websocket_urlpatterns: list[Any] = [
    path(
        "ws/meetings/display/<str:key>/",
        meeting_consumers.DisplayConsumer.as_asgi(),
        name="ws-meeting-display",
    ),
    path(
        "ws/meetings/<int:meeting_id>/",
        meeting_consumers.MeetingConsumer.as_asgi(),
        name="ws-meeting",
    ),
]
