from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lokalmaal.plans"
    label = "plans"
    verbose_name = "Plan analysis"
