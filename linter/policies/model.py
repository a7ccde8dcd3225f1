"""The policy language: a team's error conventions as data, in config and ruleset files.

```yaml
policies:
  legacy-delete-410:                        # the rule id of its findings
    description: Deletes of legacy resources answer 410 once the resource is gone.
    severity: error                         # error | warning | info (default error)
    scope: {paths: ["/legacy/**"], methods: [delete]}   # any scope key, registered ones too
    when: {request-body: true}              # conditions beyond the scope (see conditions.py)
    require: ["410"]                        # declared on every operation in scope
    forbid: ["418"]                         # reported at the declared status key
    only: ["400", "404", "5XX"]             # declared 4xx/5xx codes must be among these
    body:
      statuses: ["4XX", "5XX", default]     # exact codes, ranges, default
      media-types: [application/problem+json]   # at least one must be offered
      schema: {$ref: problem.yaml#/Problem}     # the error body's shape (inline or a file)
      headers: [x-request-id]               # response headers each such response declares
      component: Problem                    # the schema's name when `errlint fix` adds it
      examples: true                        # check examples against the schema
    message: Legacy deletes answer 410.     # the reason shown in findings (default: description)
    why: Clients stop retrying on 410.      # shown by `errlint explain`, SARIF help
    reference: [https://example.com/errors]
    examples: {bad: "...yaml...", good: "...yaml..."}
```

:func:`parse_policy` validates one entry; every mistake raises :class:`ConfigError` naming
``file:line:column`` (an unknown key, a bad status, a bad scope, a bad schema ``$ref``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.errors import ConfigError
from linter.jsonvalue import excerpt, string_tuple
from linter.model import Severity
from linter.policies.conditions import Alternative, parse_when
from linter.policies.schema import load_schema, schema_problem
from linter.spec.scope import Scope

POLICY_KEYS = (
    "description",
    "severity",
    "scope",
    "when",
    "require",
    "forbid",
    "only",
    "body",
    "message",
    "why",
    "reference",
    "examples",
)
BODY_KEYS = ("statuses", "media-types", "schema", "headers", "component", "examples")
EXAMPLE_KEYS = ("bad", "good")
POLICY_ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_STATUS_RE = re.compile(r"^[1-5](\d\d|XX)$", re.IGNORECASE)
_COMPONENT_RE = re.compile(r"^[A-Za-z0-9._-]+$")

#: ``where(*pointer)`` -> ``file:line:column`` of that member of the policy file
Where = Callable[..., str]


@dataclass(frozen=True)
class BodyPolicy:
    """What the bodies (and headers) of some responses must look like."""

    statuses: tuple[str, ...]
    media_types: tuple[str, ...] = ()
    #: a JSON Schema with every ``$ref`` inlined (see :mod:`linter.policies.schema`)
    schema: dict[str, Any] | None = None
    headers: tuple[str, ...] = ()
    component: str | None = None
    examples: bool = True

    def covers(self, status: str) -> bool:
        """Whether a declared response key falls under ``statuses`` (:func:`covers`)."""
        return covers(self.statuses, status)


def covers(statuses: tuple[str, ...], status: str) -> bool:
    """Whether a declared response key falls under ``statuses``: the same key, a code of a
    listed range (``404`` under ``4XX``), or ``default``."""
    upper = status.upper()
    for wanted in statuses:
        if upper == wanted.upper() or (wanted.endswith("XX") and upper[:1] == wanted[0] and len(upper) == 3):
            return True
    return False


@dataclass(frozen=True)
class Policy:
    """One parsed ``policies:`` entry (statuses normalised: ``404``, ``4XX``, ``default``)."""

    id: str
    description: str
    severity: Severity
    scope: dict[str, Any] | None
    #: the conditions of ``when:``; the policy applies where one alternative holds
    when: tuple[Alternative, ...] = ()
    require: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None
    body: BodyPolicy | None = None
    message: str | None = None
    why: str = ""
    reference: tuple[str, ...] = ()
    bad: str = ""
    good: str = ""
    #: ``file:line:column`` of the policy's key
    origin: str = ""

    @property
    def reason(self) -> str:
        """What findings say after the colon: ``message``, else the description's first line."""
        if self.message is not None:
            return self.message
        return self.description.strip().split("\n", 1)[0].strip()

    def definition(self) -> tuple[Any, ...]:
        """Everything but where it was written: two equal definitions are the same policy."""
        return (
            self.description, self.severity, repr(self.scope), repr(self.when), self.require, self.forbid, self.only,
            repr(self.body), self.message, self.why, self.reference, self.bad, self.good,
        )  # fmt: skip


def normalise_status(value: Any) -> str | None:
    """``404``/"404" -> "404", "4xx" -> "4XX", "Default" -> "default"; None when not a status."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if text.lower() == "default":
        return "default"
    if _STATUS_RE.match(text):
        return text.upper()
    return None


def parse_policy(policy_id: Any, raw: Any, where: Where, base: Path) -> Policy:
    """One ``policies:`` entry; ``base`` is the folder its schema ``$ref``s are relative to."""
    at = where("policies", str(policy_id))
    if not isinstance(policy_id, str) or not POLICY_ID_RE.match(policy_id):
        raise ConfigError(f"{at}: policy id {excerpt(policy_id)} must be kebab-case (like legacy-delete-410)")
    if not isinstance(raw, dict):
        raise ConfigError(f"{at}: policy {excerpt(policy_id)} must be a mapping (use {', '.join(POLICY_KEYS)})")

    def here(*keys: str) -> str:
        return where("policies", policy_id, *keys)

    _no_unknown(raw, POLICY_KEYS, f"policy {excerpt(policy_id)}", here)
    severity = _severity(raw.get("severity", "error"), here("severity"))
    scope = raw.get("scope")
    if scope is not None:
        try:
            Scope.parse(scope)
        except ValueError as exc:
            raise ConfigError(f"{here('scope')}: {exc} (policy {excerpt(policy_id)})") from None
    when: tuple[Alternative, ...] = ()
    if "when" in raw:
        try:
            when = parse_when(raw["when"], lambda *keys: here("when", *keys))
        except ValueError as exc:
            raise ConfigError(f"{exc} (policy {excerpt(policy_id)})") from None
    require = _statuses(raw.get("require"), here, "require")
    forbid = _statuses(raw.get("forbid"), here, "forbid")
    only = raw.get("only")
    if not (require or forbid or only is not None or "body" in raw):  # `require: []` too
        raise ConfigError(f"{at}: policy {excerpt(policy_id)} checks nothing (give require, forbid, only or body)")
    both = [status for status in require if status in forbid]
    if both:
        raise ConfigError(
            f"{here('forbid')}: policy {excerpt(policy_id)} both requires and forbids {', '.join(both)}"
        )
    allowed = set(_statuses(only, here, "only")) if only is not None else None
    # `only` would report the very code `require` asks for (it judges 4xx and 5xx keys)
    barred = [s for s in require if allowed is not None and s[0] in "45" and not {s, f"{s[0]}XX"} & allowed]
    if barred:
        raise ConfigError(
            f"{here('only')}: policy {excerpt(policy_id)} requires {', '.join(barred)},"
            " which its only does not allow"
        )
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict):
        raise ConfigError(f"{here('examples')}: examples must map bad and good to YAML text")
    _no_unknown(examples, EXAMPLE_KEYS, "examples", lambda *k: here("examples", *k))
    return Policy(
        id=policy_id,
        description=_text(raw.get("description", ""), here("description"), "description"),
        severity=severity,
        scope=scope,
        when=when,
        require=require,
        forbid=forbid,
        only=None if only is None else _statuses(only, here, "only"),
        body=_body(raw["body"], lambda *k: here("body", *k), base) if "body" in raw else None,
        message=_text(raw["message"], here("message"), "message") if "message" in raw else None,
        why=_text(raw.get("why", ""), here("why"), "why"),
        reference=_strings(raw.get("reference"), here("reference"), "reference"),
        bad=_text(examples.get("bad", ""), here("examples", "bad"), "examples.bad"),
        good=_text(examples.get("good", ""), here("examples", "good"), "examples.good"),
        origin=at,
    )


def _body(raw: Any, here: Where, base: Path) -> BodyPolicy:
    if not isinstance(raw, dict):
        raise ConfigError(f"{here()}: body must be a mapping (use {', '.join(BODY_KEYS)})")
    _no_unknown(raw, BODY_KEYS, "body", here)
    statuses = _statuses(raw.get("statuses"), here, "statuses")
    if not statuses:
        raise ConfigError(f"{here()}: body needs statuses (codes such as 400, ranges such as 4XX, or default)")
    media_types = body_media_types(raw.get("media-types"), here)
    schema = body_schema(raw["schema"], here, base) if "schema" in raw else None
    component = body_component(raw.get("component"), here)
    check_examples = raw.get("examples", True)
    if not isinstance(check_examples, bool):
        raise ConfigError(f"{here('examples')}: body examples must be true or false")
    return BodyPolicy(
        statuses=statuses,
        media_types=media_types,
        schema=schema,
        headers=_strings(raw.get("headers"), here("headers"), "headers"),
        component=component,
        examples=check_examples,
    )


def body_media_types(raw: Any, here: Where) -> tuple[str, ...]:
    """The ``media-types`` of a body (``policies:`` or ``error-bodies:``), lower-cased."""
    media_types = tuple(m.lower() for m in _strings(raw, here("media-types"), "media-types"))
    if "/" in "".join(media_types) and not all("/" in m for m in media_types):
        raise ConfigError(f"{here('media-types')}: media types look like application/problem+json")
    return media_types


def body_schema(raw: Any, here: Where, base: Path) -> dict[str, Any]:
    """The ``schema`` of a body with its ``$ref``s (relative to ``base``) inlined."""
    try:
        schema = load_schema(raw, base)
    except ValueError as exc:
        raise ConfigError(f"{here('schema')}: {exc}") from None
    problem = schema_problem(schema)
    if problem is not None:
        raise ConfigError(f"{here('schema')}: not a valid JSON Schema: {problem}")
    return schema


def body_component(raw: Any, here: Where) -> str | None:
    """The ``component`` of a body: a schema name, or None when not given."""
    if raw is not None and (not isinstance(raw, str) or not _COMPONENT_RE.match(raw)):
        raise ConfigError(f"{here('component')}: component must be a schema name such as Problem")
    return raw


def _no_unknown(raw: dict[Any, Any], known: tuple[str, ...], what: str, here: Where) -> None:
    """Raise for the first key of ``raw`` not in ``known``."""
    for key in raw:
        if key not in known:
            raise ConfigError(f"{here(str(key))}: unknown key {excerpt(key)} in {what} (use {', '.join(known)})")


def _severity(value: Any, at: str) -> Severity:
    found = Severity.named(value)
    if found is None:
        raise ConfigError(f"{at}: severity must be error, warning or info, got {excerpt(value)}")
    return found


def _statuses(value: Any, here: Where, key: str) -> tuple[str, ...]:
    """``value`` (one status or a list) normalised, without repeats."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for index, item in enumerate(items):
        status = normalise_status(item)
        if status is None:
            at = here(key, str(index)) if isinstance(value, list) else here(key)
            raise ConfigError(
                f"{at}: {excerpt(item)} is not a status (a code 100-599, a range such as 4XX, or default)"
            )
        if status not in result:
            result.append(status)
    return tuple(result)


def _strings(value: Any, at: str, key: str) -> tuple[str, ...]:
    found = string_tuple(value)
    if found is None:
        raise ConfigError(f"{at}: {key} must be a string or a list of strings")
    return found


def _text(value: Any, at: str, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{at}: {key} must be text")
    return value


#: for the ``error-bodies:`` parser, which reads bodies the way ``policies:`` do
no_unknown_keys = _no_unknown
status_list = _statuses
