"""Public pages of meetings (no sign-in), at /public/meetings/."""

from hdnd.meetings.views import public

app_name = "meetings_public"
urlpatterns = [*public.urlpatterns]
