from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "lokalmaal.peers"
    verbose_name = "Peer finder"
