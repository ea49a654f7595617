"""Canned Cypher queries, one `.cypher` file each, loaded with importlib.resources."""
