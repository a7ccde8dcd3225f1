"""Rules about the spec as a document: parsing, ``$ref``s and structural validity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from linter.model import Severity
from linter.resolve.resolver import Site, SpecSet
from linter.rules.base import Context, DocumentRule, Problem, rules_defined_in
from linter.spec.openapi import spec_version


class _LoadProblemRule(DocumentRule):
    """Base: report the document problems recorded under this rule's id."""

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        for doc, problem in spec.all_problems():
            if problem.rule == self.id:
                yield Problem(Site(doc, problem.pointer, problem.line, problem.column), problem.message)


class ParseError(_LoadProblemRule):
    """The file must be readable YAML or JSON text.

    Why: a file that does not parse cannot be checked at all, and every tool that reads
    the spec (SDK generators, gateways, documentation) fails on it too. The finding gives
    the line and column where the parser stopped. Also reported here: invalid UTF-8,
    binary content, files over the size limit and nesting over the depth limit.

    Bad:
        openapi: 3.0.3
        info: {title: Pets, version: "1"
        paths: {}

    Good:
        openapi: 3.0.3
        info: {title: Pets, version: "1"}
        paths: {}
    """

    id = "parse-error"
    default_severity = Severity.ERROR


class DuplicateKey(_LoadProblemRule):
    """A YAML mapping must not repeat a key.

    Why: YAML parsers silently keep the last value, so a duplicated `404:` under
    `responses` hides the first definition from every client and tool. The finding
    points at the second key and names the first one's position.

    Bad:
        responses:
          "404": {description: Not found}
          "404": {description: Gone}

    Good:
        responses:
          "404": {description: Not found}
          "410": {description: Gone}
    """

    id = "duplicate-key"
    default_severity = Severity.ERROR


_SCALAR_KINDS = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


class NotOpenAPI(DocumentRule):
    """A file given to errlint must be an OpenAPI 2.0 or 3.x document.

    Why: a root that is a list, a scalar, or a mapping without an `openapi` or `swagger`
    key is not a spec; linting it would silently check nothing. (Folders are walked
    for specs only, so this fires for files named explicitly.)

    Bad:
        - just: a list

    Good:
        openapi: 3.1.0
        info: {title: Pets, version: "1"}
        paths: {}
    """

    id = "not-openapi"
    default_severity = Severity.ERROR

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        root = spec.root
        if not root.ok:
            return
        data = root.data
        if data is None:
            yield Problem(Site(root, ()), "the file is empty: expected an OpenAPI document")
        elif not isinstance(data, dict):
            kind = (
                "a list" if isinstance(data, list) else f"a scalar ({_SCALAR_KINDS.get(type(data), 'value')})"
            )
            yield Problem(
                Site(root, ()), f"the document root is {kind}: expected a mapping with an openapi key"
            )
        elif spec_version(data) is None:
            yield Problem(
                Site(root, ()), "no 'openapi' or 'swagger' key at the root: not an OpenAPI document"
            )
        elif spec_version(data) not in ("2.0", "3.0", "3.1", "3.2"):
            key = "swagger" if "swagger" in data else "openapi"
            yield Problem(
                Site(root, (key,)), f"unsupported version {data[key]!r}: errlint reads 2.0, 3.0 and 3.1"
            )


class _RefProblemRule(DocumentRule):
    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        for problem in spec.problems:
            if problem.rule == self.id:
                yield Problem(Site(problem.site.doc, (*problem.site.pointer, "$ref")), problem.message)


class RefUnresolved(_RefProblemRule):
    """Every `$ref` must point at something that exists.

    Why: a broken reference makes the whole spec unusable for generators and hides the
    response or schema it meant to include. The finding lands on the `$ref` itself.

    Bad:
        paths:
          /pets/{id}:
            get:
              responses:
                "404": {$ref: "#/components/responses/NotFund"}
        components:
          responses:
            NotFound: {description: No such pet}

    Good:
        paths:
          /pets/{id}:
            get:
              responses:
                "404": {$ref: "#/components/responses/NotFound"}
        components:
          responses:
            NotFound: {description: No such pet}
    """

    id = "ref-unresolved"
    default_severity = Severity.ERROR


class RefRemote(_RefProblemRule):
    """Remote (http/https) `$ref`s are not fetched unless `--allow-remote` is given.

    Why: a linter running in CI on a pull request must not fetch URLs chosen by the
    spec's author; the referenced content is therefore unchecked.

    Bad:
        "404":
          description: Not found
          content:
            application/json:
              schema: {$ref: "https://example.com/problem.yaml#/Problem"}

    Good:
        "404":
          description: Not found
          content:
            application/json:
              schema: {$ref: "./problem.yaml#/Problem"}
    """

    id = "ref-remote"
    default_severity = Severity.WARNING


class RefOutsideRoot(_RefProblemRule):
    """Local `$ref`s must stay inside the root spec's folder unless `--allow-outside-root`.

    Why: a spec from a pull request could otherwise make errlint read any file on the
    CI machine (`../../etc/passwd`), or depend on files outside the repository.

    Bad:
        "404":
          description: Not found
          content:
            application/json:
              schema: {$ref: "../../etc/passwd"}

    Good:
        "404":
          description: Not found
          content:
            application/json:
              schema: {$ref: "./schemas/error.yaml"}
    """

    id = "ref-outside-root"
    default_severity = Severity.ERROR


class RefCycle(_RefProblemRule):
    """A chain of `$ref`s must end in a value.

    Why: `A: {$ref: B}` with `B: {$ref: A}` never resolves; tools loop or crash on it.
    Recursive schemas (a property that refers back to its parent) are fine.

    Bad:
        components:
          schemas:
            A: {$ref: "#/components/schemas/B"}
            B: {$ref: "#/components/schemas/A"}

    Good:
        components:
          schemas:
            A: {$ref: "#/components/schemas/B"}
            B: {type: object}
    """

    id = "ref-cycle"
    default_severity = Severity.ERROR


_SCHEMA_DIRS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1"}


@cache
def _validator(version: str) -> Any:
    """A compiled validator for the OpenAPI JSON Schema that openapi-spec-validator ships."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))) / "resources" / "schemas"
    schema = json.loads((base / _SCHEMA_DIRS[version] / "schema.json").read_text(encoding="utf-8"))
    try:
        import jsonschema_rs

        return _RsValidator(jsonschema_rs.validator_for(schema), schema)
    except ImportError:  # pragma: no cover - jsonschema-rs is a dependency; this is a safety net
        return _PyValidator(schema)


class _RsValidator:
    def __init__(self, validator: Any, schema: dict[str, Any]) -> None:
        self.validator = validator
        self.schema = schema

    def errors(self, data: Any) -> Iterator[tuple[tuple[str, ...], str]]:
        try:
            for error in self.validator.iter_errors(data):
                yield tuple(str(p) for p in error.instance_path), error.message
        except ValueError:
            # jsonschema-rs cannot build an error whose value nests more than about 250 levels
            # ("Recursion limit reached"); the Python validator can (repeats are dropped by site)
            yield from _PyValidator(self.schema).errors(data)


class _PyValidator:
    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema

        self.validator = jsonschema.validators.validator_for(schema)(schema)

    def errors(self, data: Any) -> Iterator[tuple[tuple[str, ...], str]]:
        try:
            for error in self.validator.iter_errors(data):
                yield tuple(str(p) for p in error.absolute_path), error.message
        except RecursionError:
            yield (), "not valid against the OpenAPI schema, nested too deep for the validator to say where"


class SpecStructure(DocumentRule):
    """The root document must be valid against the OpenAPI 2.0, 3.0 or 3.1 JSON Schema.

    Why: a structurally invalid spec (a response without `description` in 3.0, a
    misspelt keyword, a wrong type) breaks generators and validators downstream. The
    schemas are the ones openapi-spec-validator ships, compiled once with jsonschema-rs;
    each violation is a finding at the offending node.

    Bad:
        openapi: 3.0.3
        info: {title: Pets, version: "1"}
        paths:
          /pets:
            get:
              responses:
                "200": {}

    Good:
        openapi: 3.0.3
        info: {title: Pets, version: "1"}
        paths:
          /pets:
            get:
              responses:
                "200": {description: OK}
    """

    id = "spec-structure"
    default_severity = Severity.ERROR

    @dataclass(frozen=True)
    class Options:
        max_findings: int = field(default=200, metadata={"help": "stop after this many violations per spec"})

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        root = spec.root
        version = spec_version(root.data)
        if not root.ok or version not in _SCHEMA_DIRS:
            return
        validator = _validator(version)
        if validator is None:
            return
        from linter.resolve.bundle import ValidationView

        view = ValidationView(spec)
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for path, message in validator.errors(view.data):
            site = view.origin(path)
            key = (id(site.doc), site.pointer)
            if key in seen:
                continue
            seen.add(key)
            yield Problem(site, _shorten(message))
            if len(seen) >= ctx.options.max_findings:
                return


_VALUE_FIRST = re.compile(r"^(\{.*\}|\[.*\]|\".*\")( (?:is|does|has|should) .*)$")


def _shorten(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    match = _VALUE_FIRST.match(message)
    if match and len(match.group(1)) > 60:
        message = "the value" + match.group(2)
    return message if len(message) <= limit else message[: limit - 1] + "…"


class InternalError(DocumentRule):
    """errlint itself failed while running a rule (reported, never hidden).

    Why: a rule that crashes on an unusual spec must not stop the other rules, nor pass
    silently. The finding names the rule and the operation; please report it. The run
    exits with code 2. No spec can show it: a rule that raises on some operation (a
    third-party rule, say) gives it there, and a run where every rule completes gives none.
    """

    id = "internal-error"
    default_severity = Severity.ERROR

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        return iter(())


class UnusedIgnore(DocumentRule):
    """An `x-errlint-ignore` entry should still suppress something (with `--report-unused-ignores`).

    Why: suppressions outlive the defects they hid; a stale one will silently hide the
    next real defect of that rule at the same place. Reported at info level, only when
    `--report-unused-ignores` is given.

    Bad:
        get:
          x-errlint-ignore: [operation-4xx-declared]   # but a 404 is declared now
          responses:
            "404": {$ref: "#/components/responses/NotFound"}

    Good:
        get:
          responses:
            "404": {$ref: "#/components/responses/NotFound"}
    """

    id = "unused-ignore"
    default_severity = Severity.INFO

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        return iter(())


RULES = rules_defined_in(globals())
