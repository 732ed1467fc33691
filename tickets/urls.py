from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("<str:key>/", views.ticket_detail, name="detail"),
    path("<str:key>/comments/", views.comment_add, name="comment-add"),
    path(
        "<str:key>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
]
