"""Resolve: the root spec and every file its `$ref`s reach; refs followed on demand."""
