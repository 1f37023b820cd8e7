from typing import Any

# Each module that pushes live updates (meetings, voting) adds its consumers here.
websocket_urlpatterns: list[Any] = []
