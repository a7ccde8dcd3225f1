"""The ``Bad:``/``Good:`` snippets of rule docs, completed into specs a test lints.

A rule's docs (its docstring, or a policy's ``examples: {bad, good}``) show YAML snippets;
``errlint explain`` and ``docs/rules.md`` print them as written. So that they cannot drift from
what the rule does, ``tests/test_rule_examples.py`` completes each snippet into a spec and lints
it with the rule alone: every Bad snippet must give at least one finding of the rule, every
Good snippet none. The convention a snippet follows:

- **Where it sits** is read from its first key (the first line at column 0 that is not a
  comment):

  ============================================  ==========================================
  first key                                     the snippet is
  ============================================  ==========================================
  ``openapi`` or ``swagger``; a list; text      a whole document, linted as written
  that is not YAML
  a root field (``paths``, ``components``,      the root of a document; ``openapi`` and
  ``security``, ``definitions``, ...)           ``info`` are added (and ``paths: {}``)
  a path (``/skus/{skuId}``)                    entries of ``paths``
  a method (``get``, ``post``, ...)             operations of the path ``/items``
  ``responses``, ``parameters``,                fields of ``GET /items``
  ``requestBody``, ``x-errlint-ignore``
  a status (``"404"``, ``4XX``, ``default``)    entries of the ``responses`` of ``GET /items``
  ============================================  ==========================================

  Anything deeper (a media type, a schema, a component) is written from one of these
  places, so that the reader sees where it is used: a schema the rule checks only in error
  responses is shown under a status, not alone.
- **The version** is OpenAPI 3.0.3, unless the first line of the snippet is a comment
  ``# swagger: "2.0"`` or ``# openapi: 3.1.0`` (any version), which the document gets.
- **Rules that compare two versions of a spec** (diff mode: ``error-response-removed``)
  show two YAML documents separated by a ``---`` line: the spec at the diff base, then now.
- ``$ref``s to components the snippet does not define are fine where the rule does not look
  into them (the rule under test is the only one run); where it does (a shape, a request
  body, an example's schema), the snippet writes the value inline or defines the component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_VERSION = "openapi: 3.0.3"
INFO = 'info: {title: Example, version: "1"}'
#: the path and method a fragment below the ``paths`` level is placed at
PATH, METHOD = "/items", "get"
#: root fields of OpenAPI 3.x and Swagger 2.0 (``security`` there too: it is the root's)
ROOT_FIELDS = frozenset(
    {"paths", "components", "security", "info", "servers", "tags", "externalDocs", "webhooks"}
    | {"definitions", "securityDefinitions", "host", "basePath", "schemes", "consumes", "produces"}
)
METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
OPERATION_FIELDS = frozenset({"responses", "parameters", "requestBody", "x-errlint-ignore", "operationId"})
_STATUS = re.compile(r"^([1-5](\d\d|XX)|default)$")
_VERSION = re.compile(r"^#\s*((?:openapi|swagger)\s*:.*)$")
_FIRST_KEY = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#:][^:]*?))\s*:(?:\s|$)""")


@dataclass(frozen=True)
class Example:
    """One snippet completed: the spec text, and for diff-mode snippets the base's text."""

    text: str
    base: str | None = None


def complete(snippet: str) -> Example:
    """The spec a snippet stands for (see the module docstring); a diff-mode snippet (two
    documents separated by ``---``) gives its base too. Never raises: a snippet whose first
    key fits no place is linted as a whole document."""
    parts = re.split(r"^---[ \t]*$\n?", snippet, flags=re.MULTILINE)
    if len(parts) == 2:
        return Example(_document(parts[1]), base=_document(parts[0]))
    return Example(_document(snippet))


def _document(snippet: str) -> str:
    lines = snippet.splitlines()
    header = DEFAULT_VERSION
    if lines and (match := _VERSION.match(lines[0])):
        header = match.group(1).strip()
    key = _first_key(lines)
    if key is None or key in ("openapi", "swagger"):
        return snippet
    body = snippet if snippet.endswith("\n") else snippet + "\n"
    if key in OPERATION_FIELDS:
        return f"{header}\n{INFO}\npaths:\n  {PATH}:\n    {METHOD}:\n{_indent(body, 6)}"
    if key in ROOT_FIELDS:
        paths = "" if _has_root_key(lines, "paths") or header.startswith("openapi: 3.1") else "paths: {}\n"
        return f"{header}\n{INFO}\n{body}{paths}"
    if key.startswith("/"):
        return f"{header}\n{INFO}\npaths:\n{_indent(body, 2)}"
    if key in METHODS:
        return f"{header}\n{INFO}\npaths:\n  {PATH}:\n{_indent(body, 4)}"
    if _STATUS.match(key):
        return f"{header}\n{INFO}\npaths:\n  {PATH}:\n    {METHOD}:\n      responses:\n{_indent(body, 8)}"
    return snippet


def _first_key(lines: list[str]) -> str | None:
    """The first key at column 0, or None when the snippet does not start with a mapping."""
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        match = _FIRST_KEY.match(line)
        if match is None:
            return None
        return next(group for group in match.groups() if group is not None).strip()
    return None


def _has_root_key(lines: list[str], key: str) -> bool:
    return any(line.startswith(f"{key}:") for line in lines)


def _indent(text: str, width: int) -> str:
    pad = " " * width
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))
