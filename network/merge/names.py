"""Name keys for matching entities across data folders: ``MUSK, ELON R.`` and ``Elon Musk`` give one key.

A key is the name upper-cased, accents and punctuation dropped, ``LAST, FIRST``
turned round for people, single-letter initials and honorifics or suffixes
(MR, DR, JR, III, ...) dropped. Two entities with the same key and the same
type are the same entity; a key alone never joins two types. Keys that are
close but not equal are near misses, listed for a person to decide.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

__all__ = ["NEAR_MISS_RATIO", "name_key", "near_miss_ratio", "entity_keys"]

NEAR_MISS_RATIO = 0.85
"""Keys at least this similar (difflib ratio, 0..1), but not equal, go to merge_review.csv."""

_PERSON_NOISE = {"MR", "MRS", "MS", "DR", "JR", "SR", "II", "III", "IV", "HON", "ESQ", "PHD", "MD"}


def name_key(name: str, *, person: bool = False) -> str:
    """The matching key of a name (empty for an empty name).

    Examples
    --------
    >>> name_key("MUSK, ELON R.", person=True) == name_key("Elon Musk", person=True)
    True
    >>> name_key("Dr. Miriam Adelson", person=True)
    'MIRIAM ADELSON'
    >>> name_key("America PAC"), name_key("AMERICA PAC")
    ('AMERICA PAC', 'AMERICA PAC')
    >>> name_key("Donald J. Trump for President 2024, Inc.")
    'DONALD J TRUMP FOR PRESIDENT 2024 INC'
    """
    text = unicodedata.normalize("NFKD", str(name or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    if person and text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    tokens = re.sub(r"[^\w]+", " ", text).split()
    if person:
        tokens = [t for t in tokens if len(t) > 1 and t not in _PERSON_NOISE]
    return " ".join(tokens)


def entity_keys(name: str, aliases: list[str], entity_type: str) -> set[str]:
    """Every key of an entity: its name's and each alias's (people read as people).

    Examples
    --------
    >>> sorted(entity_keys("Elon Musk", ["Musk"], "person"))
    ['ELON MUSK', 'MUSK']
    """
    person = entity_type == "person"
    return {key for key in (name_key(text, person=person) for text in [name, *aliases]) if key}


def near_miss_ratio(left: str, right: str) -> float:
    """How alike two keys are, 0..1 (difflib's ratio on the words in sorted order).

    Examples
    --------
    >>> round(near_miss_ratio("AMERICA PAC", "AMERICAN PAC"), 3)
    0.957
    >>> near_miss_ratio("ELON MUSK", "MUSK ELON")
    1.0
    """
    return SequenceMatcher(None, " ".join(sorted(left.split())), " ".join(sorted(right.split()))).ratio()
