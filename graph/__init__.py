"""The graph: schema (as data), store interface and its back ends."""
