"""Load: files -> documents (plain data that remembers where each node was written)."""
