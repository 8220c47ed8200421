from django.urls import path

from lokalmaal.plans import views

app_name = "plans"

urlpatterns = [
    path("organisasjoner/<slug:slug>/planar/", views.plan_list, name="list"),
    path("organisasjoner/<slug:slug>/planar/ny/", views.plan_upload, name="upload"),
    path("planar/metode/", views.method, name="method"),
    path("planar/<int:plan_id>/", views.plan_detail, name="plan"),
    path("planar/<int:plan_id>/gap/", views.plan_gaps, name="gaps"),
    path("planar/<int:plan_id>/samanlikn/", views.plan_compare, name="compare"),
    path("planar/<int:plan_id>/publiser/", views.plan_publish, name="publish"),
    path("planar/<int:plan_id>/analyser/", views.plan_reanalyse, name="reanalyse"),
    path("planar/<int:plan_id>/slett/", views.plan_delete, name="delete"),
    path("planar/<int:plan_id>/eksport.<str:fmt>", views.plan_export, name="export"),
    path("kommuner/<str:code>/planar/", views.region_plans, name="region"),
    path("fylker/<str:code>/planar/", views.region_plans, name="county"),
]
