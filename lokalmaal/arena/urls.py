from django.urls import path

from . import views

app_name = "arena"

urlpatterns = [
    path("erfaringar/", views.example_list, name="examples"),
    path("erfaringar/ny/", views.example_create, name="create"),
    path("erfaringar/mine/", views.my_examples, name="mine"),
    path("erfaringar/<int:example_id>/", views.example_detail, name="example"),
    path("erfaringar/<int:example_id>/endre/", views.example_edit, name="edit"),
    path("erfaringar/<int:example_id>/send/", views.example_submit, name="submit"),
    path("erfaringar/<int:example_id>/trekk/", views.example_withdraw, name="withdraw"),
    path("erfaringar/<int:example_id>/slett/", views.example_delete, name="delete"),
    path("erfaringar/<int:example_id>/moderer/", views.moderate_example, name="moderate"),
    path("erfaringar/<int:example_id>/vedlegg/", views.attachment_upload, name="upload"),
    path(
        "erfaringar/<int:example_id>/vedlegg/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "erfaringar/<int:example_id>/vedlegg/<int:attachment_id>/slett/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("sok/", views.search_page, name="search"),
    path("meld/", views.report, name="report"),
    path("moderering/", views.moderation_queue, name="moderation"),
    path("moderering/meldingar/<int:report_id>/", views.handle_report, name="handle_report"),
    path("moderering/logg/", views.audit_log, name="log"),
]
