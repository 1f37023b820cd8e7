from hdnd.petitions.api import (
    answers,
    evaluation,
    imports,
    items,
    meetings,
    petitions,
    routing,
    statistics,
)

urlpatterns = [
    *meetings.urlpatterns,
    *items.urlpatterns,
    *petitions.urlpatterns,
    *routing.urlpatterns,
    *answers.urlpatterns,
    *evaluation.urlpatterns,
    *imports.urlpatterns,
    *statistics.urlpatterns,
]
