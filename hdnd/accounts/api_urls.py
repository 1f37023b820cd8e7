from django.urls import path

from hdnd.accounts import api

app_name = "accounts_api"
urlpatterns = [
    path("me/", api.MeApi.as_view(), name="me"),
]
