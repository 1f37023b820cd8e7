"""Staff pages of the petitions module, at /petitions/. Each topic's views module owns
its own patterns."""

from hdnd.petitions.views import (
    answers,
    consolidation,
    dashboard,
    evaluation,
    imports,
    intake,
    meetings,
    petitions,
    reports,
    routing,
)

app_name = "petitions"
urlpatterns = [
    *petitions.urlpatterns,
    *meetings.urlpatterns,
    *intake.urlpatterns,
    *imports.urlpatterns,
    *consolidation.urlpatterns,
    *routing.urlpatterns,
    *answers.urlpatterns,
    *evaluation.urlpatterns,
    *dashboard.urlpatterns,
    *reports.urlpatterns,
]
