"""Reading the values configs write: severities by name, strings or lists of strings."""

from __future__ import annotations

from typing import Any

import pytest

from linter.jsonvalue import string_tuple
from linter.model import Severity


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ()),
        ("legacy/*", ("legacy/*",)),
        (["a", "b"], ("a", "b")),
        ([], ()),
        (["a", 1], None),
        (7, None),
        ({"a": "b"}, None),
        (("a",), None),
    ],
)
def test_string_tuple_reads_a_string_or_a_list_of_strings(
    value: Any, expected: tuple[str, ...] | None
) -> None:
    assert string_tuple(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("error", Severity.ERROR),
        ("Warning", Severity.WARNING),
        ("INFO", Severity.INFO),
        ("off", None),
        (" error", None),
        (3, None),
        (None, None),
    ],
)
def test_severity_named_reads_a_name_in_any_case(value: Any, expected: Severity | None) -> None:
    assert Severity.named(value) is expected


def test_severity_parse_names_the_choices() -> None:
    assert Severity.parse("Error") is Severity.ERROR
    with pytest.raises(ValueError, match=r'^unknown severity "loud" \(use error, warning or info\)$'):
        Severity.parse("loud")
