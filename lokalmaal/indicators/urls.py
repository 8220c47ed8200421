from django.urls import path

from lokalmaal.indicators import views

app_name = "indicators"

urlpatterns = [
    path("indikatorar/", views.indicator_list, name="list"),
    path("indikatorar/dekning/", views.coverage, name="coverage"),
    path("indikatorar/forslag/", views.proposals, name="proposals"),
    path("indikatorar/forslag/eksport.csv", views.proposals_csv, name="proposals_csv"),
    path("indikatorar/forslag/<int:proposal_id>/stott/", views.support, name="support"),
    path("indikatorar/metode/", views.method, name="method"),
    path("indikatorar/oppdater/", views.start_update, name="update"),
    path("indikatorar/<slug:indicator_id>/", views.indicator_detail, name="detail"),
    path(
        "indikatorar/<slug:indicator_id>/data.<str:fmt>", views.indicator_download, name="download"
    ),
    path("kommuner/<str:code>/berekraft/", views.dashboard, name="dashboard"),
    path("samanlikn/", views.compare, name="compare"),
]
