from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "lokalmaal.networks"
    label = "networks"
    verbose_name = "Networks and events"
