from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("sikkerheit/logg/", views.event_log, name="log"),
]
