from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import home

admin.site.site_header = _("Customer Care Center")
admin.site.site_title = _("Customer Care Center")
admin.site.index_title = _("Support workspace")

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("help-center/", include("helpcenter.urls")),
    path("requests/", include("tickets.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
