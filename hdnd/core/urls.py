from django.urls import path
from django.views.generic import TemplateView

app_name = "core"
# Placeholder until the UI shell lands.
urlpatterns = [path("", TemplateView.as_view(template_name="base.html"), name="home")]
