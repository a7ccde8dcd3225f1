"""Sales Layer REST APIs (Catalog and DAM): the documented error vocabulary and its bodies.

Source: Sales Layer's "Error responses" page. Both API families share 400, 401, 404
and 500; 403 is documented for Catalog only and 409 for DAM only. A 400 body carries
``validationFailures`` (field name -> messages), a 401 body is a problem-details object.
Family detection (``x-api-family``, ``/rest/Catalog/`` or ``/rest/DAM/`` prefix, tag,
title) lives in :func:`linter.vendors.saleslayer.detect_family`, the ``family`` scope key
rules here use.
"""

from __future__ import annotations

from linter.rules.base import rules_defined_in
from linter.rules.saleslayer import bodies, codes, security

RULES = (*rules_defined_in(vars(codes)), *rules_defined_in(vars(bodies)), *rules_defined_in(vars(security)))
