from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "lokalmaal.regions"
    label = "regions"
