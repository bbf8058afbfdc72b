"""SuiteCRM's save-time cleaning of text fields, as the sandbox reproduces it.

SuiteCRM 7.14 runs every char, text and enum field of a bean through
``SugarCleaner::cleanHtml`` (HTMLPurifier) on save. Text made only of "simple"
characters (letters, digits, ASCII punctuation except ``<`` and ``>``, CR, LF
and any byte of a multi-byte UTF-8 character) is left alone; anything else is
purified. What a real 7.14.6 did to recorded text (``notes_create_html_like_text``):

* ``<john@example.com>`` (not an HTML element) disappears;
* ``<img src=x onerror=alert(1)>`` becomes ``<img src="x" alt="x" />``:
  attributes quoted, event handlers dropped, ``alt`` added, void elements closed;
* allowed elements (``<b>bold</b>``) stay, unclosed ones are closed;
* the text between tags keeps its ``&`` and quotes as they were, so quotes
  inside a JSON document can be wrapped around by rewritten tags and the JSON
  no longer parses.

This is a model of the observed behaviour, not HTMLPurifier: it handles tags,
attributes, ``script``/``style`` content and closing, which is what a client
must survive. Pure functions; no I/O.
"""

from __future__ import annotations

import posixpath
import re

# The characters SugarCleaner::cleanHtml leaves alone without purifying.
_SIMPLE = re.compile(r"[^-A-Za-z0-9 `~!@#$%^&*()_=+{}\[\];:'\",./\\?\r\n|\u0080-\U0010ffff]")
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)((?:\s+[^>]*?)?)\s*(/?)>", re.S)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_RAW_CONTENT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.S | re.I)

FORMATTING = (
    *("b", "i", "u", "s", "em", "strong", "small", "big", "sub", "sup", "code", "pre"),
    *("blockquote", "p", "br", "hr", "div", "span", "ul", "ol", "li", "dl", "dt", "dd"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "font", "caption"),
    *("table", "thead", "tbody", "tfoot", "tr", "td", "th"),
)
ALLOWED: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "target"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    **{name: frozenset({"title"}) for name in FORMATTING},
}
VOID = frozenset({"br", "hr", "img"})
CLEANED_DB_TYPES = ("char", "text", "enum")


def needs_cleaning(text: str) -> bool:
    """True when SuiteCRM would purify ``text`` (it holds a non-simple character)."""
    return _SIMPLE.search(text) is not None


def is_cleaned_type(db_type: str) -> bool:
    """Whether SuiteCRM cleans fields of this database type on save."""
    return any(kind in db_type for kind in CLEANED_DB_TYPES)


def clean_text(text: str) -> str:
    """``text`` as SuiteCRM stores it after its save-time cleaning."""
    if not needs_cleaning(text):
        return text
    text = _RAW_CONTENT.sub("", text)
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        closing, name, attributes, _self_closing = match.groups()
        tag = name.lower()
        if tag not in ALLOWED:
            continue  # an unknown element (or an e-mail address in brackets) is dropped
        if closing:
            if tag in open_tags:
                while open_tags:
                    last = open_tags.pop()
                    out.append(f"</{last}>")
                    if last == tag:
                        break
            continue
        out.append(_open_tag(tag, attributes))
        if tag not in VOID:
            open_tags.append(tag)
    out.append(text[position:])
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


def _open_tag(tag: str, attributes: str) -> str:
    allowed = ALLOWED[tag]
    kept: dict[str, str] = {}
    for name, raw in _ATTRIBUTE.findall(attributes):
        key = name.lower()
        if key not in allowed or key in kept:
            continue
        value = raw[1:-1] if raw[:1] in ("'", '"') else raw
        if key in ("href", "src") and value.strip().lower().startswith(("javascript:", "data:")):
            continue
        kept[key] = value.replace('"', "&quot;")
    if tag == "img":
        if "src" not in kept:
            return ""  # HTMLPurifier drops an image without a source
        kept.setdefault("alt", posixpath.basename(kept["src"]) or kept["src"])
    rendered = "".join(f' {k}="{v}"' for k, v in kept.items())
    return f"<{tag}{rendered} />" if tag in VOID else f"<{tag}{rendered}>"
