from django.urls import path

from lokalmaal.discussion import views

app_name = "discussion"

urlpatterns = [
    path("sporsmal/", views.question_list, name="questions"),
    path("delmal/<str:code>/sporsmal/", views.target_questions, name="target_questions"),
    path("sporsmal/<int:question_id>/", views.question_detail, name="question"),
    path("sporsmal/ny/<str:kind>/<str:key>/", views.ask, name="ask"),
    path("sporsmal/<int:question_id>/svar/", views.answer, name="answer"),
    path("sporsmal/<int:question_id>/skjul/", views.hide_question, name="hide_question"),
    path("sporsmal/svar/<int:answer_id>/nyttig/", views.mark_helpful, name="helpful"),
    path("sporsmal/svar/<int:answer_id>/skjul/", views.hide_answer, name="hide_answer"),
    path("folg/", views.follow, name="follow"),
    path("folg/slutt/", views.unfollow, name="unfollow"),
    path("varsel/", views.notification_list, name="notifications"),
    path("varsel/lese/", views.mark_read, name="mark_read"),
    path("varsel/innstillingar/", views.notification_settings, name="settings"),
]
