from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    # The overview's own paths come before "<str:key>/", which matches any name.
    path("export.csv", views.ticket_export, name="export"),
    path("columns/", views.columns_choose, name="columns"),
    path("saved-filters/", views.saved_filter_add, name="saved-filter-add"),
    path(
        "saved-filters/<int:saved_filter_id>/",
        views.saved_filter_run,
        name="saved-filter-run",
    ),
    path(
        "saved-filters/<int:saved_filter_id>/rename/",
        views.saved_filter_rename_view,
        name="saved-filter-rename",
    ),
    path(
        "saved-filters/<int:saved_filter_id>/delete/",
        views.saved_filter_delete_view,
        name="saved-filter-delete",
    ),
    path("uploads/", views.upload_stage, name="upload-stage"),
    path(
        "uploads/<uuid:staged_id>/discard/",
        views.upload_discard,
        name="upload-discard",
    ),
    path("mentions/", views.mention_suggestions_new, name="mentions-new"),
    path("<str:key>/", views.ticket_detail, name="detail"),
    path("<str:key>/comments/", views.comment_add, name="comment-add"),
    path("<str:key>/mentions/", views.mention_suggestions, name="mentions"),
    path(
        "<str:key>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "<str:key>/attachments/<int:attachment_id>/preview/",
        views.attachment_preview,
        name="attachment-preview",
    ),
    path(
        "<str:key>/attachments/<int:attachment_id>/inline/",
        views.attachment_inline,
        name="attachment-inline",
    ),
    path(
        "<str:key>/attachments/<int:attachment_id>/thumbnail/",
        views.attachment_thumbnail,
        name="attachment-thumbnail",
    ),
    path("<str:key>/share/", views.ticket_share_view, name="share"),
    path("<str:key>/cancel/", views.ticket_cancel_view, name="cancel"),
    path("<str:key>/escalate/", views.ticket_escalate_view, name="escalate"),
    path("<str:key>/reopen/", views.ticket_reopen_view, name="reopen"),
    path("<str:key>/notifications/", views.notifications_toggle, name="notifications"),
]
