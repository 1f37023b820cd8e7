from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("hdnd.core.urls")),
    path("accounts/", include("hdnd.accounts.urls")),
    path("directory/", include("hdnd.councils.urls")),
    path("petitions/", include("hdnd.petitions.urls")),
    path("public/petitions/", include("hdnd.petitions.urls_public")),
    path("meetings/", include("hdnd.meetings.urls")),
    path("public/meetings/", include("hdnd.meetings.urls_public")),
    path("voting/", include("hdnd.voting.urls")),
    path("open311/v2/", include("hdnd.petitions.open311")),
    path("", include("hdnd.accounts.urls_tokens")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The translations of our scripts (the live room's messages).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(f"{settings.ADMIN_URL}", admin.site.urls),
]
