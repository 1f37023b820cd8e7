from hdnd.meetings.api import documents, floor, meetings, open_data, records

urlpatterns = [
    *meetings.urlpatterns,
    *floor.urlpatterns,
    *documents.urlpatterns,
    *records.urlpatterns,
    *open_data.urlpatterns,
]
