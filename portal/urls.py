from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import home
from portal import health
from portal.views import favicon
from tickets.views import help_page, unsubscribe

admin.site.site_header = _("Customer Care Center")
admin.site.site_title = _("Customer Care Center")
admin.site.index_title = _("Support workspace")

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("help-center/", include("helpcenter.urls")),
    path("requests/", include("tickets.urls")),
    path("help/", help_page, name="help"),
    path(
        "notifications/unsubscribe/<str:token>/",
        unsubscribe,
        name="notifications-unsubscribe",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Health probes, for load balancers and container health checks.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
]

handler500 = "portal.errors.server_error"
