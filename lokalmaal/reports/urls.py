from django.urls import path

from lokalmaal.reports import views

app_name = "reports"

urlpatterns = [
    path(
        "kommuner/<str:code>/rapport/",
        views.report_page,
        {"kind": "municipality"},
        name="municipality",
    ),
    path(
        "kommuner/<str:code>/rapport.<str:fmt>",
        views.report_file,
        {"kind": "municipality"},
        name="municipality_file",
    ),
    path("fylker/<str:code>/rapport/", views.report_page, {"kind": "county"}, name="county"),
    path(
        "fylker/<str:code>/rapport.<str:fmt>",
        views.report_file,
        {"kind": "county"},
        name="county_file",
    ),
    path("oversikt/", views.overview_page, name="overview"),
]
