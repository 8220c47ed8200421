from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "lokalmaal.indicators"
    label = "indicators"
    verbose_name = "Indicators"
