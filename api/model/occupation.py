"""The read model of an occupation: its O*NET descriptors and tasks, titles and programmes.

A framework release embeds its occupation's (profiles and the framework page render them),
and the occupation's own page describes it for crawlers with schema.org (api/schema_org.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from skillsgraph.vocab import SG

from ..store_access import Reader, iri, value

# The property that links a descriptor, and the kind it makes it.
DESCRIPTOR_KINDS = {SG.skill: "skill", SG.knowledge: "knowledge", SG.ability: "ability",
                    SG.workStyle: "work-style", SG.technology: "technology", SG.task: "task"}


@dataclass(frozen=True)
class Descriptor:
    iri: str
    kind: str  # skill | knowledge | ability | work-style | technology | task
    label: str | None  # a task's text
    code: str | None  # its O*NET element ID
    position: int | None  # where the occupation's source ranks it
    source: str | None  # the source of that ranking
    scheme: str | None
    scheme_label: str | None


@dataclass(frozen=True)
class Programme:
    iri: str
    code: str | None  # its CIP code (skos:notation)


@dataclass
class Occupation:
    iri: str
    descriptors: list[Descriptor] = field(default_factory=list)  # in the order the store answers
    related_titles: list[str] = field(default_factory=list)
    rapids_codes: list[str] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    ranking_sources: set[str] = field(default_factory=set)  # the sources that rank its descriptors

    def of_kind(self, kind: str) -> list[Descriptor]:
        return [d for d in self.descriptors if d.kind == kind]


@dataclass(frozen=True)
class FrameworkLink:
    """A framework release written for the occupation, as its page lists it."""
    iri: str
    label: str | None
    version: str | None


def read_occupation(reader: Reader, occupation: str) -> Occupation:
    node = iri(occupation)
    out = Occupation(occupation)
    seen = set()
    for row in reader.select("occupation-descriptors", occupation=node):
        if row.get("src") is not None and row["kind"].value != SG.task:
            out.ranking_sources.add(row["src"].value)
        key = (row["kind"].value, row["d"].value)
        if key in seen:  # one descriptor, several rankings or schemes: the first row stands for it
            continue
        seen.add(key)
        position = value(row.get("n"))
        out.descriptors.append(Descriptor(
            row["d"].value, DESCRIPTOR_KINDS[row["kind"].value], value(row.get("label")), value(row.get("code")),
            int(position) if position is not None else None, value(row.get("src")), value(row.get("scheme")),
            value(row.get("schemeLabel"))))
    for row in reader.select("occupation-facts", occupation=node):
        prop, obj = row["p"].value, row["o"].value
        if prop == SG.relatedTitle:
            out.related_titles.append(obj)
        elif prop == SG.rapidsCode:
            out.rapids_codes.append(obj)
        else:
            out.programmes.append(Programme(obj, value(row.get("code"))))
    return out


def read_frameworks(reader: Reader, occupation: str) -> list[FrameworkLink]:
    return [FrameworkLink(r["r"].value, value(r.get("label")), value(r.get("v")))
            for r in reader.select("occupation-frameworks", occupation=iri(occupation))]


__all__ = ["Occupation", "Descriptor", "Programme", "FrameworkLink", "read_occupation", "read_frameworks"]
