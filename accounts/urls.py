from django.urls import path

from accounts import preferences, reauth, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("confirm/", reauth.confirm, name="confirm"),
    path("preferences/", preferences.preferences, name="preferences"),
]
