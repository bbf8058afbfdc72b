"""A safe reader for the SQL where-fragments REST v4_1 clients send in ``query``.

SuiteCRM pastes ``query`` into its SQL after a validator; the sandbox never
executes it. It parses a subset (comparisons ``= <> != > >= < <=``, ``[NOT]
LIKE``, ``[NOT] IN (...)``, ``IS [NOT] NULL``, ``AND``/``OR``/``NOT`` and
parentheses, over bare or table-qualified column names of the module, with
string or number literals) into a ``Where`` of bound parameters. Anything else
raises ``QueryError``, which the v4_1 front end answers as SuiteCRM's error 40.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from connector.sandbox.schema import ModuleSpec
from connector.sandbox.store import Order, Where
from connector.sandbox.v8query import db_value

TOKEN_RE = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.|'')*')|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])"
    r"|(?P<op><>|!=|>=|<=|=|<|>)|(?P<punct>[(),])|(?P<word>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?))"
)
COMPARISONS = {"=": "=", "<>": "<>", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}


class QueryError(Exception):
    """The fragment is outside the supported subset or names an unknown column."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = TOKEN_RE.match(text, pos)
        if not match or match.end() == pos:
            raise QueryError(f"unexpected text at {pos}: {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match[kind]))
        pos = match.end()
    return tokens


def _literal(token: Token) -> str:
    if token.kind == "num":
        return token.text
    if token.kind == "str":
        body = token.text[1:-1]
        return re.sub(r"\\(.)|''", lambda m: m.group(1) or "'", body)
    raise QueryError(f"expected a value, found {token.text!r}")


class _Parser:
    def __init__(self, spec: ModuleSpec, tokens: list[Token]) -> None:
        self.spec = spec
        self.tokens = tokens
        self.pos = 0
        self.params: list[Any] = []

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.upper() in words:
            self.pos += 1
            return True
        return False

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise QueryError("the query ends too early")
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise QueryError(f"expected {text!r}, found {token.text!r}")

    def parse(self) -> str:
        sql = self.expression()
        if self.peek() is not None:
            raise QueryError(f"unexpected {self.peek().text!r}")  # type: ignore[union-attr]
        return sql

    def expression(self) -> str:
        parts = [self.term()]
        while self.keyword("OR"):
            parts.append(self.term())
        return " OR ".join(parts) if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def term(self) -> str:
        parts = [self.factor()]
        while self.keyword("AND"):
            parts.append(self.factor())
        return " AND ".join(parts) if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def factor(self) -> str:
        if self.keyword("NOT"):
            return f"NOT ({self.factor()})"
        token = self.peek()
        if token is not None and token.text == "(":
            self.pos += 1
            inner = self.expression()
            self.expect(")")
            return f"({inner})"
        return self.predicate()

    def column(self) -> tuple[str, bool, bool]:
        token = self.take()
        if token.kind != "word":
            raise QueryError(f"expected a column, found {token.text!r}")
        table, _, name = token.text.rpartition(".")
        if table and table.lower() != self.spec.table:
            raise QueryError(f"unknown table {table!r}")
        field = self.spec.stored(name.lower())
        if field is None:
            raise QueryError(f"unknown column {name!r}")
        return field.name, field.is_numeric, field.is_datetime

    def predicate(self) -> str:
        name, numeric, is_dt = self.column()
        target = f'CAST("{name}" AS REAL)' if numeric else f'"{name}"'
        bind = "CAST(? AS REAL)" if numeric else "?"

        def value() -> None:
            text = _literal(self.take())
            self.params.append(db_value(text) if is_dt else text)

        if self.keyword("IS"):
            negate = self.keyword("NOT")
            if not self.keyword("NULL"):
                raise QueryError("expected NULL after IS")
            if negate:
                return f'("{name}" IS NOT NULL AND "{name}" <> \'\')'
            return f'("{name}" IS NULL OR "{name}" = \'\')'
        negate = self.keyword("NOT")
        if self.keyword("LIKE"):
            value()
            return f'"{name}" {"NOT " if negate else ""}LIKE ?'
        if self.keyword("IN"):
            self.expect("(")
            marks = []
            while True:
                value()
                marks.append(bind)
                if self.take().text == ")":
                    break
            return f"{target} {'NOT ' if negate else ''}IN ({', '.join(marks)})"
        if negate:
            raise QueryError("NOT must be followed by LIKE or IN here")
        op = self.take()
        if op.kind != "op":
            raise QueryError(f"expected an operator, found {op.text!r}")
        value()
        return f"{target} {COMPARISONS[op.text]} {bind}"


def parse_where(spec: ModuleSpec, text: str | None) -> Where:
    """``query`` → ``Where``; empty text gives an empty ``Where``."""
    if not text or not text.strip():
        return Where()
    parser = _Parser(spec, tokenize(text))
    sql = parser.parse()
    return Where(sql, tuple(parser.params))


def parse_order_by(spec: ModuleSpec, text: str | None) -> list[Order]:
    """``order_by`` → columns; elements that are not bare field names are dropped,
    as SuiteCRM drops them (``calls.date_modified`` orders nothing)."""
    order: list[Order] = []
    for element in (text or "").split(","):
        words = element.split()
        if not words or len(words) > 2:
            continue
        name = words[0]
        direction = words[1].upper() if len(words) == 2 else "ASC"
        if direction not in ("ASC", "DESC") or spec.stored(name) is None:
            continue
        order.append(Order(name, direction == "DESC"))
    return order
