from django.apps import AppConfig


class BundleConfig(AppConfig):
    name = "lokalmaal.bundle"
    label = "bundle"
