from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "lokalmaal.catalogue"
    label = "catalogue"
