"""An occupation's source anchors as candidates for grounding its statements, and the editors'
statements as the file lists them, for the ranker and for the check of the editors' decisions.

The candidates are the page's own O*NET lists (the occupation's tasks, then its skills,
knowledge, abilities, work styles and technology categories, in page order: the "62 anchors"
of the reference page). Each has a code an editor writes under a statement (`anchors:`):
`task/<position>` for a task, `<kind>/<slug of the name>` for a descriptor (`skill/speaking`),
the same segments as the IRIs the anchors point to.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from rdflib import URIRef

from .iris import DESCRIPTOR_SEGMENTS, Iris, slug
from .schema import FrameworkFile, OccupationEntry


@dataclass(frozen=True)
class Candidate:
    code: str      # task/5, skill/social-perceptiveness
    kind: str      # task, or a key of DESCRIPTOR_SEGMENTS
    position: int  # in its list, from 1
    text: str      # what the ranker reads

    def iri(self, iris: Iris, onet_soc: str) -> URIRef:
        if self.kind == "task":
            return iris.task(onet_soc, self.position)
        return iris.descriptor(self.kind, self.text)


def candidates(occupation: OccupationEntry) -> list[Candidate]:
    """The occupation's anchors in page order: the order ties are broken in."""
    out = [Candidate(f"task/{n}", "task", n, text) for n, text in enumerate(occupation.tasks, start=1)]
    for kind in DESCRIPTOR_SEGMENTS:
        for n, name in enumerate(getattr(occupation.descriptors, kind), start=1):
            out.append(Candidate(f"{DESCRIPTOR_SEGMENTS[kind]}/{slug(name)}", kind, n, name))
    return out


@dataclass(frozen=True)
class StatementAt:
    """A statement of the file with its key path there, as the build walks them."""
    kind: str               # competency, ai-use, durable
    level: str
    position: int
    domain: str | None
    path: tuple             # ("framework", "competencies", "proficient", 2)
    statement: object       # schema.Statement or schema.CitedStatement


def statements(content: FrameworkFile) -> Iterator[StatementAt]:
    """Every statement of the release in the file's order: competencies, AI use, durable skills."""
    fw = content.framework
    for key, kind, by_level in (("competencies", "competency", fw.competencies), ("ai_use", "ai-use", fw.ai_use)):
        for level, items in by_level.items():
            for i, st in enumerate(items):
                yield StatementAt(kind, level, i + 1, None, ("framework", key, level, i), st)
    for domain, levels in fw.durable_skills.items():
        for level, items in levels.items():
            for i, st in enumerate(items):
                yield StatementAt("durable", level, i + 1, domain, ("framework", "durable_skills", domain, level, i), st)
