"""Content types of uploaded files, detected from their bytes.

The browser's Content-Type and the file name's extension are never trusted
for what a file is. They only decide between equally safe text types, for
example text/csv for a .csv file that contains plain text.
"""

import codecs
import io
import json
import re
from pathlib import PurePath
from typing import IO, Literal

import filetype
from PIL import Image, UnidentifiedImageError

SNIFF_BYTES = 64 * 1024
THUMBNAIL_SIZE = (320, 240)
# Pillow's decompression-bomb guard applies too; this is the portal's own cap.
MAX_IMAGE_PIXELS = 50_000_000

# Image formats browsers show safely as <img>; SVG is deliberately absent.
PREVIEW_IMAGE_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
TEXT_PREVIEW_TYPES = frozenset(
    {"text/plain", "text/csv", "application/json", "application/xml"}
)
TEXT_EXTENSIONS = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".xml": "application/xml",
}

_HTML_MARKERS = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|object|embed|meta|"
    rb"link|style|form|img|a\s|div|svg|math|frameset)[\s>/]",
    re.IGNORECASE,
)
_SVG_MARKER = re.compile(rb"<svg[\s>]", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml\s", re.IGNORECASE)

PreviewKind = Literal["image", "text", "download"]


def _read_head(handle: IO[bytes]) -> bytes:
    position = handle.tell()
    head = handle.read(SNIFF_BYTES)
    handle.seek(position)
    return head


def _image_type(handle: IO[bytes]) -> str | None:
    position = handle.tell()
    try:
        with Image.open(handle) as image:
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    except Image.DecompressionBombError:
        return None
    finally:
        handle.seek(position)
    return PREVIEW_IMAGE_TYPES.get(image_format or "")


def _decode_text(head: bytes) -> str | None:
    """Return the bytes as text, or None when they look binary."""
    if b"\x00" in head.lstrip(codecs.BOM_UTF16_LE + codecs.BOM_UTF16_BE):
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as error:
            # The sniffed head may end in the middle of a multi-byte character.
            if encoding == "utf-8-sig" and error.start >= len(head) - 3:
                return head[: error.start].decode(encoding, errors="ignore")
    return None


def detect_content_type(handle: IO[bytes], name: str = "") -> str:
    """Return the MIME type of a file from its first bytes.

    Pillow must open and verify a file before it counts as a previewable
    image. Text that contains HTML or SVG markup is reported as text/html or
    image/svg+xml regardless of the file name, so it is only ever downloaded.
    """
    head = _read_head(handle)
    if not head:
        return "application/x-empty"
    image_type = _image_type(handle)
    if image_type:
        return image_type

    kind = filetype.guess(head)
    if kind is not None:
        # Pillow rejected it above, so an image signature is not to be believed.
        if kind.mime.startswith("image/"):
            return "application/octet-stream"
        return kind.mime
    text = _decode_text(head)
    if text is None:
        return "application/octet-stream"

    if _SVG_MARKER.search(head):
        return "image/svg+xml"
    if _HTML_MARKERS.search(head):
        return "text/html"
    if _XML_DECLARATION.match(head):
        return "application/xml"
    suffix = PurePath(name).suffix.lower()
    if suffix == ".json":
        return "application/json" if _is_json(text) else "text/plain"
    return TEXT_EXTENSIONS.get(suffix, "text/plain")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        # A file larger than the sniffed head cannot be parsed whole here.
        return text.lstrip()[:1] in {"{", "["}
    return True


def preview_kind(content_type: str) -> PreviewKind:
    """Return how the portal shows a file of this detected type."""
    if content_type in PREVIEW_IMAGE_TYPES.values():
        return "image"
    if content_type in TEXT_PREVIEW_TYPES:
        return "text"
    return "download"


def make_thumbnail(handle: IO[bytes]) -> bytes:
    """Return a PNG thumbnail of an image, at most THUMBNAIL_SIZE."""
    with Image.open(handle) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValueError("The image is too large for a thumbnail.")
        image.seek(0)
        if image.mode in {"RGB", "RGBA"}:
            thumbnail = image.copy()
        else:
            thumbnail = image.convert("RGBA")
        thumbnail.thumbnail(THUMBNAIL_SIZE)
        output = io.BytesIO()
        thumbnail.save(output, format="PNG", optimize=True)
    return output.getvalue()


def read_text_preview(handle: IO[bytes], limit: int) -> tuple[list[str], bool]:
    """Return the first `limit` bytes of a text file as lines, and whether it was cut."""
    data = handle.read(limit + 1)
    truncated = len(data) > limit
    data = data[:limit]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if truncated and error.start >= len(data) - 3:
            text = data[: error.start].decode("utf-8-sig", errors="replace")
        else:
            text = data.decode("cp1252", errors="replace")
    return text.splitlines() or [""], truncated
