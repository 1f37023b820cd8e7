from django.urls import path
from django.views.generic import TemplateView

app_name = "councils"
# Placeholder until the directory lands.
urlpatterns = [path("", TemplateView.as_view(template_name="base.html"), name="directory")]
