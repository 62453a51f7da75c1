"""The embedded Oxigraph store: SPARQL 1.1 over the built N-Quads, by Oxigraph's own engine."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def open_in_memory(nquads_file: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(nquads_file), format=ox.RdfFormat.N_QUADS)
    return store


def query(store: ox.Store, sparql: str):
    """Run a query with the default graph as the union of all named graphs."""
    return store.query(sparql, use_default_graph_as_union=True)
