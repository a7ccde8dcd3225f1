"""Sales Layer REST APIs (Catalog and DAM): the documented error vocabulary and its bodies.

Source: Sales Layer's "Error responses" page. Both API families share 400, 401, 404
and 500; 403 is documented for Catalog only and 409 for DAM only. A 400 body carries
``validationFailures`` (field name -> messages), a 401 body is a problem-details object.
Family detection (``x-api-family``, ``/rest/Catalog/`` or ``/rest/DAM/`` prefix, tag,
title) lives in :func:`linter.spec.scope.detect_family`; rules here use ``family`` scopes.
"""

from __future__ import annotations

from linter.rules.saleslayer.bodies import SalesLayer400Shape, SalesLayer401Shape
from linter.rules.saleslayer.codes import (
    SalesLayer400Declared,
    SalesLayer401Declared,
    SalesLayer403Declared,
    SalesLayer403Forbidden,
    SalesLayer404Declared,
    SalesLayer409Declared,
    SalesLayer409OutsideDam,
    SalesLayer500Declared,
    SalesLayerUnknownStatus,
)
from linter.rules.saleslayer.security import SalesLayerApiKeyScheme

RULES = (
    SalesLayer400Declared,
    SalesLayer400Shape,
    SalesLayer401Declared,
    SalesLayer401Shape,
    SalesLayer403Declared,
    SalesLayer403Forbidden,
    SalesLayer404Declared,
    SalesLayer409Declared,
    SalesLayer409OutsideDam,
    SalesLayer500Declared,
    SalesLayerUnknownStatus,
    SalesLayerApiKeyScheme,
)
