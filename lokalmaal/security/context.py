from django.http import HttpRequest


def two_factor(request: HttpRequest) -> dict[str, object]:
    """The deadline for setting up two-factor authentication, for the reminder on every page
    (TwoFactorMiddleware has looked it up already)."""
    return {"two_factor_deadline": getattr(request, "two_factor_deadline", None)}
