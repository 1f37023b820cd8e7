from django.urls import path

from hdnd.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("councils/<int:council_id>/audit/", views.council_audit, name="council_audit"),
]
