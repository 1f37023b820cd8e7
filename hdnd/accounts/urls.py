from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"
# Placeholder until the sign-in flow lands.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("verify/", auth_views.LoginView.as_view(), name="verify"),
]
