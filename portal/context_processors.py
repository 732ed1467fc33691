from django.conf import settings
from django.http import HttpRequest


def support_contact(request: HttpRequest) -> dict[str, str]:
    """Expose the support desk's contact details to every template."""
    return {
        "support_name": settings.SUPPORT_NAME,
        "support_portal_url": settings.PORTAL_URL,
        "support_hotline": settings.SUPPORT_HOTLINE,
        "support_email": settings.SUPPORT_EMAIL,
        "support_address": settings.SUPPORT_ADDRESS,
    }
