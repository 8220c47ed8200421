from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lokalmaal.plans"
    label = "plans"
    verbose_name = "Plan analysis"

    def ready(self) -> None:
        from lokalmaal.plans import checks  # noqa: F401 (registers the system checks)
