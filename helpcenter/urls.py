from django.urls import path

from helpcenter import views

app_name = "helpcenter"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("<str:project_key>/", views.project_detail, name="project-detail"),
    path(
        "<str:project_key>/<slug:request_type>/",
        views.request_create,
        name="request-create",
    ),
]
