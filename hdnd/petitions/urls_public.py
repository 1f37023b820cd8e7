"""Public pages of the petitions module, at /public/petitions/ (no sign-in)."""

from hdnd.petitions.views import public

app_name = "petitions_public"
urlpatterns = [*public.urlpatterns]
