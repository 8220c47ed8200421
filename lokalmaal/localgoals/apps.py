from django.apps import AppConfig


class LocalgoalsConfig(AppConfig):
    name = "lokalmaal.localgoals"
    label = "localgoals"
    verbose_name = "Local goals"
