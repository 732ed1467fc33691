"""The 500 error view: renders without the database or context processors."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from portal.logging_config import request_id_var


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponseServerError:
    """Render 500.html from settings alone, because the database may be the fault.

    The page shows the request id, so a customer can quote it to support and
    support can find the traceback in the log.
    """
    template = loader.get_template("500.html")
    context = {
        "support_name": settings.SUPPORT_NAME,
        "support_hotline": settings.SUPPORT_HOTLINE,
        "support_email": settings.SUPPORT_EMAIL,
        "request_id": request_id_var.get(),
    }
    return HttpResponseServerError(template.render(context))
