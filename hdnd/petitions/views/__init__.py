"""The petitions module's pages, one module per topic; each has its `urlpatterns` and a
`panel` for the petition page."""
