"""One switch for every fast path: ``ERRLINT_SLOW_PATHS=1`` in the environment turns them off.

Each fast path (JSON parsed from bytes, orjson's dump standing in for a walk over JSON data,
JSON positions computed from the data's layout, costly rules run in a helper process) has
a straightforward twin that it must match exactly; the switch lets tests and users compare
the two, and is a way out should a fast path ever disagree.
"""

from __future__ import annotations

import os

ENVIRONMENT_VARIABLE = "ERRLINT_SLOW_PATHS"


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT_VARIABLE, "") in ("", "0")
