from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Lokalmål: the production server, task workers, health, request logs, backups."""

    name = "lokalmaal.ops"
    label = "ops"
    verbose_name = "Operations"
