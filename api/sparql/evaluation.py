"""One query evaluated and written out: run it, choose the format for its kind, serialise.

The same function runs in a query worker process (sparql/workers.py) and, for the stores whose
data cannot be reopened by another process, on a thread of the server (sparql/gate.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from skillsgraph.store.base import Dataset, GraphResult, Limits, SolutionsResult, Store

from ..negotiation import choose
from . import results
from .protocol import ProtocolError, not_acceptable

KIND_NAMES = {"solutions": "a SELECT result", "boolean": "an ASK result", "graph": "a CONSTRUCT/DESCRIBE result"}


@dataclass
class Answer:
    body: bytes
    content_type: str
    truncated: bool


@dataclass(frozen=True)
class Job:
    """What a worker needs to answer one request: plain values, sent to it pickled."""
    query: str
    dataset: Dataset
    limits: Limits
    base_iri: str
    accept: str | None


def evaluate(store: Store, job: Job) -> Answer:
    result = store.query(job.query, job.dataset, job.limits, base_iri=job.base_iri)
    offers = results.offers_for(result.kind)
    chosen = choose(job.accept, offers)
    if chosen is None:
        raise not_acceptable(job.accept, offers, KIND_NAMES[result.kind])
    fmt = results.format_for(chosen)
    try:
        body = results.serialize(result, fmt)
    except results.Unrepresentable as exc:
        raise ProtocolError(406, str(exc)) from None
    truncated = isinstance(result, (SolutionsResult, GraphResult)) and result.truncated
    return Answer(body, fmt.content_type, truncated)
