"""Pages of the meetings module, at /meetings/. Each topic's views module owns its own
patterns."""

from hdnd.meetings.views import (
    agenda,
    attendance,
    consultations,
    display,
    documents,
    floor,
    meetings,
    records,
)

app_name = "meetings"
urlpatterns = [
    *meetings.urlpatterns,
    *agenda.urlpatterns,
    *attendance.urlpatterns,
    *floor.urlpatterns,
    *documents.urlpatterns,
    *consultations.urlpatterns,
    *records.urlpatterns,
    *display.urlpatterns,
]
