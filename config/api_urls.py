from django.urls import include, path

# Each app's API lives in its own api.py and api_urls list; all share /api/v1/.
urlpatterns = [
    path("", include("hdnd.councils.api_urls")),
    path("", include("hdnd.accounts.api_urls")),
]
