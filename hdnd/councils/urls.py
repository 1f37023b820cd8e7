from django.urls import path

from hdnd.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("search/", views.search, name="search"),
    path("units/<str:code>/", views.unit, name="unit"),
    path("units/<str:code>/former/", views.unit_former, name="unit_former"),
    path("councils/<int:council_id>/", views.council, name="council"),
    path("councils/<int:council_id>/delegates/", views.council_delegates, name="delegates"),
    path("councils/<int:council_id>/agencies/", views.council_agencies, name="agencies"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("committees/<int:committee_id>/", views.committee, name="committee"),
    path("groups/<int:group_id>/", views.group, name="group"),
    path("agencies/<int:agency_id>/", views.agency, name="agency"),
]
