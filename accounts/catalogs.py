"""Compile the gettext catalogs under LOCALE_PATHS without GNU gettext.

Django's compilemessages needs the msgfmt program, which a fresh machine may
lack. Babel reads and writes the same .po and .mo formats in pure Python, so
`make run`, `make test` and CI compile the catalogs with it.
"""

from collections.abc import Iterable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


class CatalogError(Exception):
    """A catalog has a syntax or placeholder error."""


def compile_catalog(po_path: Path) -> Path:
    """Write the .mo file next to po_path, leaving out fuzzy entries.

    Raises CatalogError when a translation's placeholders do not match its
    message id, because such a translation would raise at render time.
    """
    with po_path.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    problems = [
        f"{po_path}:{message.lineno}: {error}"
        for message, errors in catalog.check()
        for error in errors
    ]
    if problems:
        raise CatalogError("\n".join(problems))
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    return mo_path


def compile_catalogs(locale_dirs: Iterable[Path], *, force: bool = False) -> list[Path]:
    """Compile every .po file under locale_dirs whose .mo is missing or older.

    Returns the .mo files written.
    """
    written = []
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if (
                not force
                and mo_path.exists()
                and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            ):
                continue
            written.append(compile_catalog(po_path))
    return written
