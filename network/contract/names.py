"""How names are compared: case, Arabic letter variants and diacritics, punctuation, "Last, First" order."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_name", "swapped_name"]

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def normalize_name(text: str) -> str:
    """The form names are compared in: case-folded, Arabic normalized, punctuation as spaces.

    Arabic text loses its diacritics (harakat, shadda, sukun, dagger alef)
    and tatweel; the alef forms أ إ آ ٱ become ا, alef maqsura ى becomes ي
    and ta marbuta ة becomes ه, the usual orthographic normalization for
    Arabic name matching [1]_. Latin text is case-folded. Every run of
    punctuation (hyphens, underscores, dots, commas, quotes) and spaces
    becomes one space, so an id such as ``elon-musk`` compares equal to the
    name "Elon Musk"; symbols such as ``+`` stay ("Google+" is not "Google").

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    References
    ----------
    .. [1] N. Habash, "Introduction to Arabic Natural Language Processing",
       Morgan & Claypool, 2010 (orthographic normalization of alef, ya and ta marbuta).

    Examples
    --------
    >>> normalize_name("سام ألتمان") == normalize_name("سام التمان")
    True
    >>> normalize_name("  ACME Inc. ")
    'acme inc'
    >>> normalize_name("elon-musk") == normalize_name("Elon Musk")
    True
    >>> normalize_name("Google+")
    'google+'
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).casefold()
    spaced = "".join(_spaced(char) for char in text)
    return " ".join(spaced.split())


def _spaced(char: str) -> str:
    """Punctuation, spaces and control characters as a space; invisible format marks (ZWNJ, RLM) dropped."""
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    return " " if category[0] in "PZC" else char


def swapped_name(text: str) -> str | None:
    """"Last, First" as "First Last" (normalized), or None when the text has not exactly one comma.

    Examples
    --------
    >>> swapped_name("Musk, Elon")
    'elon musk'
    >>> swapped_name("Elon Musk") is None
    True
    """
    parts = str(text).split(",")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return None
    return normalize_name(f"{parts[1]} {parts[0]}")
