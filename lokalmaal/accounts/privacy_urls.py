from django.urls import path

from lokalmaal.accounts import privacy_views

app_name = "privacy"

urlpatterns = [
    path("konto/mine-data/", privacy_views.my_data, name="my_data"),
    path("konto/mine-data/lokalmaal-data.json", privacy_views.download_json, name="download"),
    path("konto/mine-data/lokalmaal-data.zip", privacy_views.download_zip, name="download_zip"),
    path("konto/mine-data/slett/", privacy_views.delete_account, name="delete"),
]
