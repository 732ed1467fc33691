"""Template filters for descriptions and comment bodies.

{{ value|rich_text }} outputs sanitised HTML, {{ value|plain_text }} the text
for e-mails' text part and exports. Never output a body with |safe.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from tickets.richtext import html_to_text, render_rich_text

register = template.Library()


@register.filter
def rich_text(value: str) -> SafeString:
    return mark_safe(render_rich_text(value or ""))  # noqa: S308  # sanitised by nh3


@register.filter
def plain_text(value: str) -> str:
    return html_to_text(value or "")
