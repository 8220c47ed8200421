from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lokalmaal.api"
    label = "api"
