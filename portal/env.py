"""Typed readers for settings taken from environment variables.

Each reader raises ImproperlyConfigured on a value it cannot parse, so a
typo in the environment stops start-up instead of silently falling back.
"""

import os
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    return number


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_list(name: str, default: Sequence[str] = ()) -> list[str]:
    """Read a comma-separated list, dropping blanks around the items."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not one of {', '.join(choices)}."
        )
    return value


def env_url(
    name: str, default: str | None = None, *, schemes: Sequence[str]
) -> str | None:
    value = _raw(name)
    if value is None:
        return default
    scheme, separator, _ = value.partition("://")
    if not separator or scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of "
            f"{', '.join(s + '://' for s in schemes)}."
        )
    return value
