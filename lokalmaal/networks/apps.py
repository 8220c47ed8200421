from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "lokalmaal.networks"
    label = "networks"
    verbose_name = "Networks and events"

    def ready(self) -> None:
        from lokalmaal.accounts.privacy import register_deletion_check

        from .actions import refuse_account_deletion

        register_deletion_check(refuse_account_deletion)  # a network keeps a coordinator
