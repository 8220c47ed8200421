from django.urls import path

from lokalmaal.networks import views

app_name = "networks"

urlpatterns = [
    path("nettverk/", views.network_list, name="list"),
    path("nettverk/nytt/", views.network_create, name="create"),
    path("nettverk/<slug:slug>/", views.network_detail, name="network"),
    path("nettverk/<slug:slug>/endre/", views.network_edit, name="edit"),
    path("nettverk/<slug:slug>/bli-med/", views.network_join, name="join"),
    path("nettverk/<slug:slug>/forlat/", views.network_leave, name="leave"),
    path("nettverk/<slug:slug>/medlemmer/", views.member_add, name="member_add"),
    path(
        "nettverk/<slug:slug>/medlemmer/<int:membership_id>/rolle/",
        views.member_role,
        name="member_role",
    ),
    path(
        "nettverk/<slug:slug>/medlemmer/<int:membership_id>/fjern/",
        views.member_remove,
        name="member_remove",
    ),
    path("nettverk/<slug:slug>/innlegg/nytt/", views.post_create, name="post_create"),
    path(
        "nettverk/<slug:slug>/innlegg/<int:post_id>/slett/", views.post_delete, name="post_delete"
    ),
    path("nettverk/<slug:slug>/dokument/nytt/", views.document_upload, name="document_upload"),
    path(
        "nettverk/<slug:slug>/dokument/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path(
        "nettverk/<slug:slug>/dokument/<int:document_id>/slett/",
        views.document_delete,
        name="document_delete",
    ),
    path("arrangement/", views.event_list, name="events"),
    path("arrangement/nytt/", views.event_create, name="event_create"),
    path("arrangement/<int:event_id>/", views.event_detail, name="event"),
    path("arrangement/<int:event_id>/endre/", views.event_edit, name="event_edit"),
    path("arrangement/<int:event_id>/meld-pa/", views.event_register, name="register"),
    path("arrangement/<int:event_id>/meld-av/", views.event_unregister, name="unregister"),
    path("arrangement/<int:event_id>/avlys/", views.event_cancel, name="event_cancel"),
    path("arrangement/<int:event_id>/deltakarar/", views.participants, name="participants"),
    path(
        "arrangement/<int:event_id>/deltakarar.csv",
        views.participants_csv,
        name="participants_csv",
    ),
    path("arrangement/<int:event_id>/kalender.ics", views.event_ics, name="ics"),
]
