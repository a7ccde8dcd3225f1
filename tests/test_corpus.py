"""Real-world specs (see the corpus MANIFEST): each loads, its operations are all found, facts hold.

Skipped when the corpus folder is absent. Each spec is loaded once per test session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from helpers import CORPUS, needs_corpus

from linter.api import LintOptions, load_spec
from linter.check.engine import Engine
from linter.check.ruleset import load_ruleset, resolve_name
from linter.resolve.resolver import SpecSet
from linter.spec.openapi import Operation, iter_operations

pytestmark = needs_corpus

#: short name -> (root file, operation count stated by the MANIFEST, or None where it states none)
SPECS: dict[str, tuple[str, int | None]] = {
    "commercelayer-core": ("commercelayer-core/gen/openapi.json", 791),
    "commercelayer-provisioning": ("commercelayer-provisioning/gen/openapi.json", 70),
    "commercelayer-rail0": ("commercelayer-rail0/gen/openapi.json", None),
    "stripe": ("stripe/openapi/spec3.yaml", 468),
    "digitalocean": ("digitalocean/specification/DigitalOcean-public.v2.yaml", 659),
    "unit": ("unit/openapi.json", 147),
    "discord": ("discord/specs/openapi.json", 242),
    "docker-engine": ("docker-engine/api/swagger.yaml", 108),
    "nakadi": ("nakadi/docs/_data/nakadi-event-bus-api.yaml", 47),
    "redocly-museum": ("redocly-museum/openapi.yaml", None),
    "zalando-problem": ("zalando-problem/models/problem-1.0.1.yaml", 0),
}


#: files each spec had loaded right after loading (rules may load more while following refs)
FILES_AT_LOAD: dict[str, int] = {}


@pytest.fixture(scope="session")
def corpus_spec() -> Callable[[str], SpecSet]:
    loaded: dict[str, SpecSet] = {}

    def get(name: str) -> SpecSet:
        if name not in loaded:
            root = SPECS[name][0]
            loaded[name] = load_spec(CORPUS / root, root, LintOptions())
            FILES_AT_LOAD[name] = len(loaded[name].docs)
        return loaded[name]

    return get


def operations(spec: SpecSet) -> list[Operation]:
    return list(iter_operations(spec))


def status_counts(ops: list[Operation]) -> Counter[str]:
    return Counter(key for op in ops for key in op.status_keys)


def test_the_manifest_and_this_table_list_the_same_specs() -> None:
    folders = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert folders == set(SPECS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_spec_loads_and_every_operation_is_found(
    name: str, corpus_spec: Callable[[str], SpecSet]
) -> None:
    spec = corpus_spec(name)
    assert spec.root.ok
    assert not list(spec.all_problems())
    expected = SPECS[name][1]
    if expected is not None:
        assert len(operations(spec)) == expected


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_recommended_ruleset_runs_without_crashing(
    name: str, corpus_spec: Callable[[str], SpecSet]
) -> None:
    config = load_ruleset(resolve_name("recommended", None))
    result = Engine(config, raise_errors=True).run(corpus_spec(name))
    assert result.internal_errors == 0
    assert all(f.location.line >= 1 and f.location.column >= 1 for f in result.findings)


def test_unit_has_exactly_the_one_broken_ref_upstream(corpus_spec: Callable[[str], SpecSet]) -> None:
    spec = corpus_spec("unit")
    assert [(p.rule, p.site.doc.display) for p in spec.problems] == [
        ("ref-unresolved", "unit/schemas/repayment/repayment.json")
    ]
    assert "ReccuringRepaymentRelationship" in spec.problems[0].message
    assert sum(bool(op.error_responses()) for op in operations(spec)) == 23


def test_digitalocean_refs_reach_every_file(corpus_spec: Callable[[str], SpecSet]) -> None:
    spec = corpus_spec("digitalocean")
    assert not spec.problems
    # The MANIFEST counts 2,850 files: one of them is reached only through a `$ref` inside an
    # `example` value, which is literal data in OpenAPI 3.0, not a reference.
    assert FILES_AT_LOAD["digitalocean"] == 2849
    counts = status_counts(operations(spec))
    assert (counts["401"], counts["429"], counts["500"], counts["default"]) == (659, 659, 659, 656)


def test_stripe_declares_only_200_and_default(corpus_spec: Callable[[str], SpecSet]) -> None:
    assert status_counts(operations(corpus_spec("stripe"))) == Counter({"200": 468, "default": 468})


def test_commercelayer_core_declares_no_error_response(corpus_spec: Callable[[str], SpecSet]) -> None:
    ops = operations(corpus_spec("commercelayer-core"))
    assert status_counts(ops) == Counter({"200": 619, "201": 86, "204": 86})
    assert {media.split(";")[0] for op in ops for media in op.all_media_types()} == {
        "application/vnd.api+json"
    }


def test_docker_engine_integer_status_keys_are_strings(corpus_spec: Callable[[str], SpecSet]) -> None:
    counts = status_counts(operations(corpus_spec("docker-engine")))
    assert (counts["409"], counts["503"], counts["500"], counts["501"]) == (12, 31, 107, 1)


def test_discord_uses_the_4xx_range_beside_429(corpus_spec: Callable[[str], SpecSet]) -> None:
    ops = operations(corpus_spec("discord"))
    assert all(op.declares("4XX") and op.declares("429") for op in ops)
    assert {op.response("4XX").node.pointer[-1] for op in ops} == {"ClientErrorResponse"}  # type: ignore[union-attr]


def test_nakadi_has_nine_operations_without_error_responses(corpus_spec: Callable[[str], SpecSet]) -> None:
    assert sum(not op.error_responses() for op in operations(corpus_spec("nakadi"))) == 9
