"""Scope keys a convention registers by name (``errlint.scopes``): Sales Layer's ``family`` and
JSON:API's ``jsonapi`` are not part of the generic scope module, and load when a scope names them."""

from __future__ import annotations

import pytest

from linter.spec import scope
from linter.spec.scope import Scope
from tests.helpers import ROOT


def test_the_generic_scope_module_knows_no_vendor() -> None:
    source = (ROOT / "linter" / "spec" / "scope.py").read_text("utf-8")
    assert "detect_family" not in source and "x-api-family" not in source and "catalog" not in source
    assert "vnd.api+json" not in source
    assert "family" not in scope._SCOPE_KEYS and "jsonapi" not in scope._SCOPE_KEYS


def test_naming_a_vendor_key_loads_its_predicate() -> None:
    parsed = Scope.parse({"family": ["DAM", "none"], "jsonapi": True})
    assert parsed.conditions == (("family", ("dam", "none")), ("jsonapi", True))
    assert scope._PREDICATES["family"].test.__module__ == "linter.vendors.saleslayer"
    assert scope._PREDICATES["jsonapi"].test.__module__ == "linter.vendors.jsonapi"


def test_vendor_keys_keep_their_messages() -> None:
    with pytest.raises(ValueError, match=r'^scope family must be catalog, dam or none, got "pim"$'):
        Scope.parse({"family": "pim"})
    with pytest.raises(ValueError, match=r'^scope key "jsonapi" must be true or false$'):
        Scope.parse({"jsonapi": "yes"})


def test_an_unknown_key_lists_the_registered_ones() -> None:
    with pytest.raises(ValueError) as raised:
        Scope.parse({"famly": "dam"})
    message = str(raised.value)
    assert message.startswith('unknown scope key "famly" (known: paths, methods, tags, ')
    assert "family" in message and "jsonapi" in message and "request-body" in message
