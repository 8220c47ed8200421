from django.urls import path

from lokalmaal.ops import views

app_name = "ops"

urlpatterns = [path("helse/", views.health_view, name="health")]
