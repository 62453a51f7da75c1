"""The 2018 Standard Occupational Classification (BLS) as a SKOS concept scheme,
code-list/soc2018, from the two workbooks BLS publishes:

- soc_structure_2018.xlsx: seven title rows, the header on row 8 (Major Group | Minor Group |
  Broad Group | Detailed Occupation, the title in the unnamed fifth column), then one row per
  group, its code in the column of its level, in hierarchy order: a group belongs to the nearest
  group of the level above it, and its code must say so (29-1129 under 29-1120 under 29-1000
  under 29-0000);
- soc_2018_definitions.xlsx: title rows, the header on row 8 (SOC Group | SOC Code | SOC Title |
  SOC Definition); each code's definition (detailed occupations have one), its level and title,
  which must agree with the structure's.

Every group is soc2018/<code>, the node the crosswalks name: a skos:Concept and sg:CodedConcept
with notation, title, level (sg:classificationLevel, BLS's words), definition, skos:broader and
skos:narrower; the 23 major groups are the scheme's top concepts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..code_lists import SCHEMES
from ..graphs import SG
from ..iris import Iris
from ..nquads import en, iri
from ..tables import Layout, Problems, RowError, Table, problem, read_table, text
from .concepts import DEFINITION, Concepts

STRUCTURE, DEFINITIONS = "soc_structure_2018.xlsx", "soc_2018_definitions.xlsx"
LEVELS = ("Major Group", "Minor Group", "Broad Group", "Detailed Occupation")
DEFINITION_LEVELS = {"Major": LEVELS[0], "Minor": LEVELS[1], "Broad": LEVELS[2], "Detailed": LEVELS[3]}
CODE_FORMS = {  # each level's codes, and an example
    LEVELS[0]: (re.compile(r"\d{2}-0000\Z"), "NN-0000, e.g. 29-0000"),
    LEVELS[1]: (re.compile(r"\d{2}-\d{2}00\Z"), "NN-NN00 (not NN-0000), e.g. 29-1000"),
    LEVELS[2]: (re.compile(r"\d{2}-\d{3}0\Z"), "NN-NNN0 (not NN-NN00), e.g. 29-1120"),
    LEVELS[3]: (re.compile(r"\d{2}-\d{3}[1-9]\Z"), "NN-NNNN not ending in 0, e.g. 29-1129"),
}
HEADER_ROW = 8
LEVEL = iri(SG.classificationLevel)


@dataclass(frozen=True)
class Group:
    code: str
    level: str
    title: str
    parent: str | None
    row: int


def read_structure(path: Path) -> tuple[Table, list[Group]]:
    table = read_table(path, Layout(LEVELS, header_line=HEADER_ROW), "the SOC structure")
    problems = Problems(path.name)
    groups: list[Group] = []
    latest: dict[int, str] = {}   # the last code seen at each level
    for line, values in table.rows:
        try:
            groups.append(_group(values, line, latest))
        except RowError as exc:
            problems.add(table.row_problem(line, exc))
    problems.check()
    return table, groups


def _group(values: list[object], line: int, latest: dict[int, str]) -> Group:
    cells = [text(v) for v in (list(values) + [None] * 5)[:5]]
    filled = [i for i in range(4) if cells[i]]
    if len(filled) != 1:
        raise RowError("", f"has a code in {len(filled)} of the columns {', '.join(LEVELS)}; each row holds one "
                           "group, its code in the column of its level")
    level = filled[0]
    code, title = cells[level], cells[4]
    pattern, form = CODE_FORMS[LEVELS[level]]
    if not pattern.match(code):
        raise RowError(LEVELS[level], f"{code!r} is not a SOC {LEVELS[level].lower()} code; expected {form}")
    if not title:
        raise RowError("", "has no title in the fifth column; every group is titled")
    parent = latest.get(level - 1) if level else None
    # A group's code starts as its parent's does; but BLS numbers a broad group's occupations on
    # past ten (Physicians, 29-1210, holds 29-1211 to 29-1229), so those share the minor group's part.
    stem = parent.rstrip("0")[:5] if parent and level == 3 else (parent or "").rstrip("0")
    if level and (parent is None or not code.startswith(stem)):
        raise RowError(LEVELS[level], f"{code!r} does not belong to the {LEVELS[level - 1].lower()} above it "
                                      f"({parent or 'none'}); groups are listed under the group they belong to")
    latest[level] = code
    for deeper in range(level + 1, 4):
        latest.pop(deeper, None)
    return Group(code, LEVELS[level], title, parent, line)


def read_definitions(path: Path, groups: dict[str, Group]) -> tuple[Table, dict[str, str]]:
    columns = ("SOC Group", "SOC Code", "SOC Title", "SOC Definition")
    table = read_table(path, Layout(columns, header_line=HEADER_ROW), "the SOC definitions")
    problems = Problems(path.name)
    definitions: dict[str, str] = {}
    for line, values in table.rows:
        c = {k: text(v) for k, v in table.cells(columns, values).items()}
        try:
            definitions[c["SOC Code"]] = _definition(c, groups)
        except RowError as exc:
            problems.add(table.row_problem(line, exc))
    for code in sorted(set(groups) - set(definitions)):
        problems.add(problem(path.name, None, "column 'SOC Code'",
                             f"lists no row for {code}, which {STRUCTURE} has on row {groups[code].row}"))
    problems.check()
    return table, definitions


def _definition(c: dict[str, str], groups: dict[str, Group]) -> str:
    group = groups.get(c["SOC Code"])
    if group is None:
        raise RowError("SOC Code", f"{c['SOC Code']!r} is not a group of {STRUCTURE}")
    if DEFINITION_LEVELS.get(c["SOC Group"]) != group.level:
        raise RowError("SOC Group", f"{c['SOC Group']!r} disagrees with {STRUCTURE}, where {group.code} is a "
                                    f"{group.level}; expected {group.level.split()[0]!r}")
    if c["SOC Title"] != group.title:
        raise RowError("SOC Title", f"{c['SOC Title']!r} disagrees with {STRUCTURE}, which titles {group.code} "
                                    f"{group.title!r}")
    return c["SOC Definition"]


def soc_concepts(out: Concepts, iris: Iris, groups: list[Group], definitions: dict[str, str]) -> None:
    scheme = str(iris.code_list("soc2018"))
    out.scheme(scheme, SCHEMES["soc2018"].label)
    for g in groups:
        node = str(iris.code_node("soc2018", g.code))
        out.concept(node, [SG.CodedConcept], scheme, g.code, g.title)
        out.t(iri(node), LEVEL, en(g.level))
        out.text(node, DEFINITION, definitions.get(g.code, ""))
        if g.parent:
            out.broader(node, str(iris.code_node("soc2018", g.parent)))
        else:
            out.top(node, scheme)
