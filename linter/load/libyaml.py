"""The one way errlint reads YAML with libyaml, so that every load path agrees on its limits."""

from __future__ import annotations

import functools
from typing import Any

from linter.load.document import DEPTH_CEILING

#: libyaml's own nesting limit as errlint sets it (see :func:`yaml_loader`). Its scanner runs
#: up to 1024 characters (so 1024 levels) ahead of the events that errlint's depth checks
#: count, so the limit sits that far and more above :data:`DEPTH_CEILING`; and under the
#: 20,000 levels at which libyaml's composer overflows an 8 MB stack.
LIBYAML_NEST_LEVEL = 2 * DEPTH_CEILING


@functools.cache
def yaml_loader() -> Any:
    """The loader class that every YAML read in errlint goes through: libyaml's composer
    (PyYAML's pure-Python one when PyYAML was built without libyaml) with the YAML 1.2 core
    schema's resolvers (:class:`linter.load.yamlcore.CoreLoader`).

    The libyaml that PyYAML 6.0.4 bundles refuses nesting past 1000 levels with its own
    message, before errlint's depth checks (which honour ``--max-depth``) can speak. The first
    call sets that process-wide limit to :data:`LIBYAML_NEST_LEVEL`, so that errlint's limit
    is the one a user meets whatever PyYAML release is installed; older releases have no
    such limit and nothing to set.
    """
    from linter.load import yamlcore

    try:
        from yaml import _yaml
    except ImportError:  # PyYAML built without libyaml
        return yamlcore.CoreLoader
    set_nest_level = getattr(_yaml, "_set_max_nest_level", None)
    if set_nest_level is not None:
        set_nest_level(LIBYAML_NEST_LEVEL)
    return yamlcore.CoreLoader
