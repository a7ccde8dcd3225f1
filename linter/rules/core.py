"""Rules about the spec as a document: parsing, ``$ref``s and structural validity."""

from __future__ import annotations

from collections.abc import Iterator

from linter.jsonvalue import excerpt
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
        {openapi: 3.1.0, info: {title: Pets, version: "1"}, paths: {}}
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
                Site(root, ()), 'no "openapi" or "swagger" key at the root: not an OpenAPI document'
            )
        elif spec_version(data) not in ("2.0", "3.0", "3.1", "3.2"):
            key = "swagger" if "swagger" in data else "openapi"
            yield Problem(
                Site(root, (key,)), f"unsupported version {excerpt(data[key])}: errlint reads 2.0, 3.0 and 3.1"
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
            get: {responses: {"404": {$ref: "#/components/responses/NotFound"}}}
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
        "404": {description: Not found, content: {application/json: {schema: {$ref: "https://example.com/problem.yaml#/Problem"}}}}

    Good:
        "404": {description: Not found, content: {application/json: {schema: {$ref: "./problem.yaml#/Problem"}}}}
    """

    id = "ref-remote"
    default_severity = Severity.WARNING


class RefOutsideRoot(_RefProblemRule):
    """Local `$ref`s must stay inside the root spec's folder unless `--allow-outside-root`.

    Why: a spec from a pull request could otherwise make errlint read any file on the
    CI machine (`../../etc/passwd`), or depend on files outside the repository.

    Bad:
        "404": {$ref: "../../etc/passwd"}

    Good:
        "404": {$ref: "./responses.yaml#/NotFound"}
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


class IgnoreRuleUnknown(DocumentRule):
    """Each `x-errlint-ignore` entry must name a rule id (or `all`).

    Why: a misspelt id (`operation-4xx-declard`) suppresses nothing, silently, and the
    author believes the finding is handled. The finding lands on the entry itself and
    suggests the closest rule id. Reported by the engine, like `unused-ignore`.

    Bad:
        get:
          x-errlint-ignore: [operation-4xx-declard]

    Good:
        get:
          x-errlint-ignore: [operation-4xx-declared]
    """

    id = "ignore-rule-unknown"
    default_severity = Severity.WARNING

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        return iter(())


RULES = rules_defined_in(globals())
