"""Audit: the coverage matrix and `fix`, built on the same rules as `lint`."""
