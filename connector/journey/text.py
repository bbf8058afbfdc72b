"""Case- and accent-insensitive text matching for the rule language.

``normalise`` folds case and strips accents ("Disdétta" → "disdetta"), and
``keyword_pattern`` turns a keyword list into one compiled regular expression
that finds whole words or phrases, where a trailing ``*`` stands for any word
ending ("preventiv*" finds preventivo and preventivi). Both run at load time for
the keywords and once per touchpoint for the text, so the hot path is one C-level
regex search.

Pure functions; no I/O.
"""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip its accents; ASCII takes the fast path."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def keyword_regex(keyword: str) -> str:
    """The regex source for one keyword: whole words, ``*`` as a word ending."""
    word = normalise(keyword.strip())
    wildcard = word.endswith("*")
    word = word.rstrip("*").strip()
    parts = [re.escape(piece) for piece in word.split()]
    body = r"\s+".join(parts)
    return body + (r"\w*" if wildcard else "")


def keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that finds any of ``keywords`` in normalised text."""
    # Longest first, so "prova gratuita" is reported rather than "prova".
    ordered = sorted({keyword_regex(k) for k in keywords}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(ordered) + r")\b")
