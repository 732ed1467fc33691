"""Attachment rules shared by forms, the staging endpoint and services."""

import unicodedata
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 255
FALLBACK_NAME = "file"


def clean_file_name(name: str) -> str:
    """Return the display name of an uploaded file.

    Drops any folder part (both / and \\ separators, so "..\\..\\evil.txt"
    becomes "evil.txt") and control characters, keeps Unicode and spaces, and
    shortens names over 255 characters while keeping the extension.
    """
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    if not name:
        return FALLBACK_NAME
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePath(name).suffix
        if len(suffix) > 16:
            suffix = ""
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
    return name


def file_limit_errors(files: Sequence[tuple[str, int]]) -> list[str]:
    """Return one message per broken limit for files given as (name, size).

    Checks ATTACHMENT_MAX_SIZE per file, empty files, ATTACHMENT_MAX_FILES
    and ATTACHMENT_MAX_TOTAL_SIZE for all files of one form together.
    """
    errors = []
    max_size = settings.ATTACHMENT_MAX_SIZE
    for name, size in files:
        if size > max_size:
            errors.append(
                _("%(name)s is larger than the limit of %(limit)s per file.")
                % {"name": name, "limit": filesizeformat(max_size)}
            )
        elif size == 0:
            errors.append(_("%(name)s is empty.") % {"name": name})

    max_files = settings.ATTACHMENT_MAX_FILES
    if len(files) > max_files:
        errors.append(
            _("Attach at most %(count)d files at once.") % {"count": max_files}
        )
    max_total = settings.ATTACHMENT_MAX_TOTAL_SIZE
    total = sum(size for _name, size in files)
    if total > max_total:
        errors.append(
            _(
                "Together the files are %(total)s, more than the limit of "
                "%(limit)s per request."
            )
            % {"total": filesizeformat(total), "limit": filesizeformat(max_total)}
        )
    return errors
