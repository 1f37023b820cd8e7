from django.urls import path

from hdnd.voting import views

app_name = "voting"
urlpatterns = [
    path("meetings/<int:meeting_id>/", views.meeting_polls_page, name="meeting_polls"),
    path("meetings/<int:meeting_id>/panels/console/", views.panel_console, name="panel_console"),
    path("meetings/<int:meeting_id>/panels/ballot/", views.panel_ballot, name="panel_ballot"),
    path("meetings/<int:meeting_id>/polls/new/", views.create, name="create"),
    path("meetings/<int:meeting_id>/votes.json", views.export_json, name="export_json"),
    path("meetings/<int:meeting_id>/votes.csv", views.export_csv, name="export_csv"),
    path("polls/<int:poll_id>/", views.result, name="result"),
    path("polls/<int:poll_id>/open/", views.open_poll, name="open"),
    path("polls/<int:poll_id>/close/", views.close_poll, name="close"),
    path("polls/<int:poll_id>/delete/", views.delete_poll, name="delete"),
    path("polls/<int:poll_id>/revote/", views.revote, name="revote"),
    path("polls/<int:poll_id>/ballot/", views.cast, name="cast"),
    path("councils/<int:council_id>/seals/", views.verify_page, name="verify"),
]
