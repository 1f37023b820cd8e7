"""The petitions module's JSON API, one module per topic, each with its `urlpatterns`."""
