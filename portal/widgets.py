"""Select widgets rendered in Python instead of one template per option.

Django renders every <option> through its own template. On the filter
panel (a hundred options) and the profile (six hundred time zones) that was
the largest cost of the page, measured with a profiler.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class FastSelectMultiple(forms.SelectMultiple):
    """A multiple select whose options are rendered in Python."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(item) for item in self.format_value(value)}
        options = [
            format_html(
                '<option value="{}"{}>{}</option>',
                option_value,
                mark_safe(" selected") if str(option_value) in selected else "",
                label,
            )
            for option_value, label in self.choices
            if str(option_value) != ""
        ]
        return format_html(
            '<select name="{}"{}{}>{}</select>',
            name,
            mark_safe(" multiple") if self.allow_multiple_selected else "",
            flatatt(attrs),
            mark_safe("".join(options)),  # noqa: S308 - each built by format_html
        )


class FastSelect(FastSelectMultiple):
    allow_multiple_selected = False

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # The blank choice ("any") is the first option of a single select.
        blank = [(v, label) for v, label in self.choices if str(v) == ""]
        html = super().render(name, value, attrs, renderer)
        if not blank:
            return html
        first = format_html('<option value="">{}</option>', blank[0][1])
        return mark_safe(html.replace(">", ">" + first, 1))  # noqa: S308 - built above

    def format_value(self, value) -> list[str]:
        return [] if value in (None, "") else [str(value)]

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data
