from hdnd.meetings.api import documents, floor, meetings, records

urlpatterns = [
    *meetings.urlpatterns,
    *floor.urlpatterns,
    *documents.urlpatterns,
    *records.urlpatterns,
]
