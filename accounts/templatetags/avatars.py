from django import template

from accounts.models import User

register = template.Library()


@register.inclusion_tag("accounts/_avatar.html")
def avatar(user: User, size: str = "sm") -> dict:
    """Render a user's picture, or their initials on a colour derived from the name."""
    return {"avatar_user": user, "size": size}
