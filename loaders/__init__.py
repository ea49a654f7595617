"""Fact files: parsing, validation, name resolution and loading into a graph store."""
