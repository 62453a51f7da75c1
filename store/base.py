"""The one small interface every store implements, and the query results it returns.

The API reads only through this interface. Results are plain Python values over
pyoxigraph's term classes (NamedNode, BlankNode, Literal, Triple), whatever the store
behind them, so serialising them is the API's job and not each store's.

A fixed query takes its values as terms, never as text: `bindings` is one solution (each
variable bound to one term) and `values` several rows (say, the frontier of a crosswalk
search). How each store binds them is its own affair (store/values.py writes the only
query text made from terms). For every store to answer alike, a bound variable must be
bound by a triple pattern of the query (as SPARQL's substitution requires: it is then in
scope) and, in a SELECT, projected.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Protocol, Union

import pyoxigraph as ox

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]


class QueryRefused(Exception):
    """The query is well-formed but not allowed here (an update, LOAD, SERVICE ...)."""


class QuerySyntaxError(Exception):
    """The query does not parse; the message says where."""


class QueryTimeout(Exception):
    """The query ran past the time limit."""


class StoreUnavailable(Exception):
    """An external store did not answer, or answered with an error of its own; the message says which."""


@dataclass(frozen=True)
class Dataset:
    """A protocol-specified RDF dataset (default-graph-uri / named-graph-uri), or none."""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def specified(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass
class BooleanResult:
    value: bool
    kind: str = "boolean"


@dataclass
class SolutionsResult:
    variables: list[str]
    rows: list[dict[str, Term]]
    truncated: bool = False
    kind: str = "solutions"


@dataclass
class GraphResult:
    triples: list[ox.Triple]
    truncated: bool = False
    kind: str = "graph"


QueryResult = Union[BooleanResult, SolutionsResult, GraphResult]

# One solution to run a fixed query with: variable name (without '?') -> term.
Bindings = Mapping[str, Term]


@dataclass(frozen=True)
class Values:
    """Several solutions to run a fixed query with: rows of terms (None leaves a variable unbound)."""
    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    @classmethod
    def column(cls, variable: str, terms: Iterable[Term]) -> "Values":
        return cls((variable,), tuple((t,) for t in terms))


@dataclass(frozen=True)
class Limits:
    timeout_seconds: float = 10.0
    max_results: int = 100_000
    # The memory one query may take beyond what its worker holds (where queries run in workers).
    memory_mb: int = 1024


@dataclass
class GraphInfo:
    name: str
    triples: int
    extra: dict = field(default_factory=dict)


class Store(Protocol):
    """Read access to the served dataset. The default graph is the union of all named graphs."""

    def query(self, sparql: str, dataset: Dataset, limits: Limits, base_iri: str | None = None,
              bindings: Bindings | None = None, values: Values | None = None) -> QueryResult:
        """Run a query; base_iri resolves the query's relative IRIs (the SPARQL endpoint passes its own URL);
        bindings and values bind a fixed query's variables to terms."""
        ...

    def graphs(self) -> list[GraphInfo]: ...

    def quads(self) -> Iterator[ox.Quad]: ...

    def triples(self) -> Iterator[ox.Triple]: ...

    def identity(self) -> str | None:
        """A name for exactly the data served, fixed while the store is open (a new build is another
        store with another name), for what is kept beside it (written dumps); None where the data
        may change under the reader or has no such name, and nothing may be kept."""
        ...

    def close(self) -> None: ...
