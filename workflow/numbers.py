"""One parser for every whole number that comes in: a query string, a form field, a
JSON value, a path segment or a stored key.

`str.isdigit()` is true of "²", "٣" and "①", and `int()` then fails on some of them (a
500) or reads others as numbers nobody typed; `re`'s `\\d` matches any script's digits.
Here only the ASCII digits 0-9 count, and the number must lie within bounds.
"""
import re

_DIGITS = re.compile(r"[0-9]{1,18}")  # longer than 18 digits is no number this product counts
LARGEST = 10 ** 18 - 1


def whole(value, low=0, high=LARGEST):
    """The whole number `value` holds (ASCII digits, spaces around allowed, or an int
    that is not a bool) if it lies in [low, high]; otherwise None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        written = value.strip(" \t")
        if not _DIGITS.fullmatch(written):
            return None
        value = int(written)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def or_as_sent(value):
    """The whole number `value` holds, else `value` as it came, for a validator to refuse with its message."""
    number = whole(value)
    return value if number is None else number


def is_id(value):
    """Whether `value` is written as a stored id is (a string of ASCII digits), so it may be looked up."""
    return isinstance(value, str) and _DIGITS.fullmatch(value) is not None
