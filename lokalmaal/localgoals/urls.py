from django.urls import path

from lokalmaal.localgoals import views

app_name = "localgoals"

urlpatterns = [
    path("organisasjoner/<slug:slug>/arbeidsrom/", views.workspace_list, name="workspaces"),
    path("organisasjoner/<slug:slug>/arbeidsrom/ny/", views.workspace_create, name="create"),
    path("arbeidsrom/<int:workspace_id>/", views.workspace_detail, name="workspace"),
    path("arbeidsrom/<int:workspace_id>/vurder/", views.rate, name="rate"),
    path("arbeidsrom/<int:workspace_id>/resultat/", views.results, name="results"),
    path(
        "arbeidsrom/<int:workspace_id>/prioritet/<str:code>/",
        views.set_priority,
        name="priority",
    ),
    path("arbeidsrom/<int:workspace_id>/mal/", views.goals, name="goals"),
    path("arbeidsrom/<int:workspace_id>/mal/<int:goal_id>/", views.goal_edit, name="goal"),
    path(
        "arbeidsrom/<int:workspace_id>/mal/<int:goal_id>/slett/",
        views.goal_delete,
        name="goal_delete",
    ),
    path(
        "arbeidsrom/<int:workspace_id>/mal/<int:goal_id>/indikatorar/",
        views.indicator_add,
        name="indicator_add",
    ),
    path(
        "arbeidsrom/<int:workspace_id>/mal/<int:goal_id>/indikatorar/<int:indicator_id>/slett/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path("arbeidsrom/<int:workspace_id>/status/", views.change_status, name="status"),
    path("arbeidsrom/<int:workspace_id>/publiser/", views.publish, name="publish"),
    path("arbeidsrom/<int:workspace_id>/historikk/", views.history, name="history"),
    path("arbeidsrom/<int:workspace_id>/eksport/<str:fmt>", views.export_file, name="export"),
    path("arbeidsrom/<int:workspace_id>/horing/", views.consultation, name="consultation"),
    path(
        "arbeidsrom/<int:workspace_id>/horing/<int:comment_id>/svar/",
        views.answer_comment,
        name="answer_comment",
    ),
    path("horing/<str:token>/", views.comment, name="comment"),
    path("arbeidsrom/<int:workspace_id>/oppfolging/", views.followup, name="followup"),
    path(
        "arbeidsrom/<int:workspace_id>/oppfolging.<str:fmt>",
        views.followup_export,
        name="followup_export",
    ),
    path(
        "arbeidsrom/<int:workspace_id>/mal/<int:goal_id>/tiltak/",
        views.measure_add,
        name="measure_add",
    ),
    path(
        "arbeidsrom/<int:workspace_id>/tiltak/<int:measure_id>/",
        views.measure_edit,
        name="measure_edit",
    ),
    path("kommuner/<str:code>/lokale-mal/", views.region_goal_sets, name="region_sets"),
    path("fylker/<str:code>/lokale-mal/", views.region_goal_sets, name="county_sets"),
]
