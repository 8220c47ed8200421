from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lokalmaal.reports"
    verbose_name = "Reports and the national picture"
