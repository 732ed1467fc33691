"""Avatar uploads: checked with Pillow and re-encoded as a small square PNG.

Only the re-encoded pixels are stored, so no metadata (EXIF, GPS, comments)
and no bytes of the original file reach the storage.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Largest image, in pixels, that is decoded at all. A bigger picture is far
# larger than any avatar needs and may be a decompression bomb: a small file
# that expands to gigabytes of memory.
MAX_SOURCE_PIXELS = 6000 * 6000


def avatar_reencode(upload: UploadedFile) -> bytes:
    """Return the PNG bytes of the avatar made from upload.

    Raises ValidationError with a message for the customer when the file is
    too large, not a PNG, JPEG, GIF or WebP image, broken, or too many pixels.
    """
    if upload.size is not None and upload.size > settings.AVATAR_MAX_SIZE:
        raise ValidationError(
            _("The picture is larger than %(limit)s. Please choose a smaller one.")
            % {"limit": filesizeformat(settings.AVATAR_MAX_SIZE)},
            code="too_large",
        )
    invalid = ValidationError(
        _(
            "This file is not a readable PNG, JPEG, GIF or WebP picture. "
            "Please choose another file."
        ),
        code="invalid_image",
    )
    too_many_pixels = ValidationError(
        _("The picture has too many pixels. Please use at most %(size)s.")
        % {"size": "6000 × 6000"},
        code="too_many_pixels",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise invalid
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise too_many_pixels
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)
            image.load()
            picture = ImageOps.exif_transpose(image).convert("RGBA")
    except Image.DecompressionBombError as error:
        raise too_many_pixels from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise invalid from error

    side = settings.AVATAR_PIXELS
    fitted = ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS)
    # A fresh image carries no info dictionary, so nothing of the source's
    # metadata can be written back.
    clean = Image.new("RGBA", (side, side))
    clean.paste(fitted)
    output = io.BytesIO()
    clean.save(output, format="PNG", optimize=True)
    return output.getvalue()
