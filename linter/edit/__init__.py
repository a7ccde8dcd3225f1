"""Edit: text-preserving editors for YAML and JSON files (used by `fix`)."""
