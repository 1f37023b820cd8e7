from django.urls import path

from hdnd.accounts import views_tokens

app_name = "tokens"
# Mounted at the site root, not under /accounts/: those pages are open before the second
# factor (RequireSecondFactorMiddleware), and managing tokens must never be.
urlpatterns = [
    path("councils/<int:council_id>/tokens/", views_tokens.token_list, name="list"),
    path(
        "councils/<int:council_id>/tokens/<int:token_id>/revoke/",
        views_tokens.token_revoke,
        name="revoke",
    ),
]
