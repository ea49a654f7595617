"""agkg: a knowledge graph of armed groups and their affiliations."""

__version__ = "0.1.0"
