"""The `errlint` command line."""
