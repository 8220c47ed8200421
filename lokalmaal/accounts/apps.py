from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lokalmaal.accounts"
    label = "accounts"
    verbose_name = "People and organisations"
