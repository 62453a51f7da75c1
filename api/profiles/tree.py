"""The hierarchy that CTDL-ASN and CASE need but the graph does not spell out.

A release's statements are flat (each has a kind, a level, a position and, for durable
skills, a domain). Competency frameworks in CTDL-ASN and CASE are trees, so both profiles
group the statements the way the catalogue page does: by kind, then durable skills by
domain, and (CASE only, which has no progression levels) by level. Group nodes are
fragment IRIs of the release, so they resolve to the release document that holds them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model.release import KIND_TITLES, Level, Release

KIND_GROUPS = {
    "competency": ("Competencies", "What a worker in the occupation does at each mastery level."),
    "ai-use": ("AI use", "How a worker at each mastery level uses, directs and evaluates AI tools in the occupation."),
    "durable": ("Durable skills", "The durable-skill domains, each written at four proficiency levels for the occupation."),
}


@dataclass
class Group:
    iri: str
    label: str
    text: str
    parent: str | None  # None: a top child of the framework
    code: str
    exact_match: str | None = None  # the concept the group stands for (a level, a domain)
    level: Level | None = None
    children: list[str] = field(default_factory=list)


def build_tree(release: Release, *, with_levels: bool) -> tuple[list[Group], dict[str, str]]:
    """The groups in document order, and each statement's parent group."""
    groups: dict[str, Group] = {}
    parent_of: dict[str, str] = {}
    for st in release.statements:
        parent = _kind_group(release, groups, st.kind)
        if st.domain is not None:
            parent = _child_group(groups, parent, f"{parent.iri}-{st.domain.code}", st.domain.label,
                                  f"{st.domain.label}: {KIND_TITLES[st.kind].lower()}s of this domain.",
                                  f"{parent.code}/{st.domain.code}", st.domain.iri)
        if with_levels:
            parent = _child_group(groups, parent, f"{parent.iri}-{st.level.code}", st.level.label,
                                  f"{parent.label} at the {st.level.label} level.", f"{parent.code}/{st.level.code}",
                                  st.level.iri, st.level)
        parent.children.append(st.iri)
        parent_of[st.iri] = parent.iri
    return list(groups.values()), parent_of


def _kind_group(release: Release, groups: dict[str, Group], kind: str) -> Group:
    iri = f"{release.iri}#{kind}"
    if iri not in groups:
        label, text = KIND_GROUPS[kind]
        groups[iri] = Group(iri, label, text, None, kind)
    return groups[iri]


def _child_group(groups: dict[str, Group], parent: Group, iri: str, label: str, text: str, code: str,
                 exact_match: str, level: Level | None = None) -> Group:
    if iri not in groups:
        groups[iri] = Group(iri, label, text, parent.iri, code, exact_match, level)
        parent.children.append(iri)
    return groups[iri]
