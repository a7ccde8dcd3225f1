"""Report: findings -> output formats, and the identities (fingerprints, baselines, diff mode) built on them."""
