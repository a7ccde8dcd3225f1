"""Locate: offsets and JSON pointers -> line and column, for each text format."""
