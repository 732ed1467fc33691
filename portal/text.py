"""Checks and clean-ups for short text that people type into forms.

Summaries, display names and filter names are shown to other people, so they
must contain something visible, and must not reorder the text around them.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional embedding, override and isolate controls: LRE, RLE, PDF, LRO,
# RLO and LRI, RLI, FSI, PDI. They change the display order of the text that
# follows, so "invoice\u202efdp.exe" shows as "invoiceexe.pdf". The marks
# LRM, RLM and ALM act only as an invisible letter of one direction, so they
# are kept.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_CONTROL_TABLE = dict.fromkeys(ord(char) for char in BIDI_CONTROLS)

# Default_Ignorable_Code_Point ranges of Unicode 14.0, checked against the
# table in Perl 5.36 (unicore/lib/DI/Y.pl): code points that render as
# nothing, such as the soft hyphen, zero-width space and joiners, word joiner,
# byte order mark, Hangul fillers, variation selectors and tag characters.
# Some of them are letters (category Lo), so the category alone misses them.
_DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)

# Control characters, format characters and separators (spaces, line and
# paragraph separators) draw no glyph.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def strip_bidi_controls(value: str) -> str:
    """Remove the bidirectional embedding, override and isolate controls."""
    return value.translate(_BIDI_CONTROL_TABLE)


def is_invisible(char: str) -> bool:
    """Return whether a single character renders as nothing or as blank space."""
    if char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES:
        return True
    code_point = ord(char)
    return any(start <= code_point <= end for start, end in _DEFAULT_IGNORABLE_RANGES)


def has_visible_characters(value: str) -> bool:
    """Return whether the text contains at least one character that is drawn."""
    return any(not is_invisible(char) for char in value)


class VisibleTextField(forms.CharField):
    """A single-line text field for names and summaries that others read.

    Cleaning removes the bidirectional controls and then surrounding
    whitespace. A value that is left with only invisible characters raises
    the "invisible" error. An empty value is left to ``required``.
    """

    default_error_messages = {
        "invisible": _("Enter text with visible characters."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = strip_bidi_controls(value)
        if self.strip:
            value = value.strip()
        return value if value else self.empty_value

    def validate(self, value) -> None:
        super().validate(value)
        if value and not has_visible_characters(value):
            raise ValidationError(self.error_messages["invisible"], code="invisible")
