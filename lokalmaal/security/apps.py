from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "lokalmaal.security"
    label = "security"
    verbose_name = "Security: the security event log, two-factor rules and session lifetime"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
