from django.urls import include, path, re_path

from hdnd.core.api import unknown_path

# Each app's API lives in its own api module (or package) and api_urls list; all share
# /api/v1/.
urlpatterns = [
    path("", include("hdnd.councils.api_urls")),
    path("", include("hdnd.accounts.api_urls")),
    path("", include("hdnd.petitions.api_urls")),
    path("", include("hdnd.meetings.api_urls")),
    path("", include("hdnd.voting.api")),
    # Last: any other address answers a JSON 404 in the one error shape, not Django's page.
    re_path(r"^.*$", unknown_path, name="api-unknown-path"),
]
