from django.urls import path

from lokalmaal.peers import views

app_name = "peers"

urlpatterns = [
    path("kommuner/<str:code>/likesinna/", views.peer_finder, name="finder"),
]
