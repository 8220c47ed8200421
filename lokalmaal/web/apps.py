from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lokalmaal.web"
    label = "web"
