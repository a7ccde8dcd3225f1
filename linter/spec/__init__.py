"""Spec: the OpenAPI views rules see (operations, responses, bodies) and the scopes that pick them."""
