"""The Classification of Instructional Programs 2020 (NCES) as a SKOS concept scheme,
code-list/cip2020, from NCES's CIPCode2020.csv: columns CIPFamily, CIPCode, Action, TextChange,
CIPTitle, CIPDefinition, CrossReferences, Examples; codes written as Excel text formulas
(="51.2301"), CRLF line ends, and quotes inside a quoted text not doubled (one definition says
titled "Security and Protective Services"): tables.excel_text_formulas and undoubled_quotes
read it as published.

Every code is cip2020/<code>, with the notation as published (51.2301), on one of NCES's three
levels (sg:classificationLevel): a 2-digit series or family (51), a 4-digit series (51.23) and a
6-digit code (51.2301, a sg:InstructionalProgram, the node the crosswalks and frameworks name),
each with its title, definition, examples (skos:example), cross-references (rdfs:seeAlso the
codes named, which must be in the file) and its place: code -> series -> family, the families
being the scheme's top concepts.

The Action column says what became of each CIP 2010 code. 'Moved from' and 'Deleted' rows are
CIP 2010 codes that CIP 2020 no longer has: cip2010/<code> in code-list/cip2010, dcterms:isReplacedBy
the CIP 2020 code their definition names ('Moved from 01.0309 to 01.1004', 'Deleted, Report under
45.1103'; the target must be a code of the file, 'Moved to' for a move), which dcterms:replaces
them; the definition is kept as the skos:changeNote. Every code keeps its Action (sg:cipAction)
and TextChange (sg:textChanged).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..code_lists import SCHEMES
from ..graphs import DCTERMS, RDFS, SG
from ..iris import Iris
from ..nquads import boolean, en, iri
from ..tables import Layout, Problems, RowError, Table, excel_text_formulas, read_table, text, undoubled_quotes
from .concepts import CHANGE, DEFINITION, EXAMPLE, Concepts

FILE = "CIPCode2020.csv"
COLUMNS = ("CIPFamily", "CIPCode", "Action", "TextChange", "CIPTitle", "CIPDefinition", "CrossReferences", "Examples")
CODE_RE = re.compile(r"\d{2}(\.\d{2}(\d{2})?)?\Z")
ACTIONS = ("No substantive changes", "New", "Moved to", "Moved from", "Deleted")
REPLACED = ("Moved from", "Deleted")
MOVED = re.compile(r"Moved from (\S+) to (\S+)\Z")
DELETED = re.compile(r"Deleted, Report under (\S+)\Z")
CROSS_REFERENCE = re.compile(r"(\d{2}\.\d{4}) - ")
LEVELS = {2: "2-digit series", 5: "4-digit series", 7: "6-digit code"}   # NCES's words, by the code's length
ACTION, TEXT_CHANGED, LEVEL = iri(SG.cipAction), iri(SG.textChanged), iri(SG.classificationLevel)
SEE_ALSO, REPLACES, REPLACED_BY = iri(RDFS.seeAlso), iri(DCTERMS.replaces), iri(DCTERMS.isReplacedBy)


@dataclass(frozen=True)
class Code:
    code: str
    family: str
    action: str
    text_changed: bool
    title: str
    definition: str
    see_also: tuple[str, ...]
    examples: tuple[str, ...]
    replaced_by: str | None      # for a CIP 2010 code, the CIP 2020 code it went to
    row: int

    @property
    def parent(self) -> str | None:
        return {5: self.code[:2], 7: self.code[:5]}.get(len(self.code))


def read_cip(path: Path) -> tuple[Table, list[Code]]:
    layout = Layout(COLUMNS, prepare=lambda data: undoubled_quotes(excel_text_formulas(data)))
    table = read_table(path, layout, "the CIP codes")
    problems = Problems(path.name)
    codes: list[Code] = []
    for line, values in table.rows:
        try:
            if len(values) != len(COLUMNS):
                raise RowError("", f"has {len(values)} fields; the header has {len(COLUMNS)}")
            codes.append(_code({k: text(v) for k, v in table.cells(COLUMNS, values).items()}, line))
        except RowError as exc:
            problems.add(table.row_problem(line, exc))
    problems.check()
    _check_references(table, codes, problems)
    problems.check()
    return table, codes


def _code(c: dict[str, str], line: int) -> Code:
    code = c["CIPCode"]
    if not CODE_RE.match(code):
        raise RowError("CIPCode", f"{code!r} is not a CIP code; expected NN, NN.NN or NN.NNNN as text, e.g. 51, "
                                  "51.23, 51.2301 (NCES writes it =\"51.2301\")")
    if c["CIPFamily"] != code[:2]:
        raise RowError("CIPFamily", f"{c['CIPFamily']!r} is not the family of {code}; expected {code[:2]!r}")
    if c["Action"] not in ACTIONS:
        raise RowError("Action", f"{c['Action']!r} is not an action of the CIP 2020 file; expected one of "
                                 f"{', '.join(ACTIONS)}")
    if c["TextChange"] not in ("yes", "no"):
        raise RowError("TextChange", f"{c['TextChange']!r} is neither yes nor no")
    if not c["CIPTitle"]:
        raise RowError("CIPTitle", "is empty; every code is titled")
    examples = c["Examples"]
    if examples and not examples.startswith("Examples: - "):
        raise RowError("Examples", f"{examples[:40]!r} does not start 'Examples: - ', as NCES lists examples")
    return Code(code, c["CIPFamily"], c["Action"], c["TextChange"] == "yes", c["CIPTitle"], c["CIPDefinition"],
                tuple(CROSS_REFERENCE.findall(c["CrossReferences"])),
                tuple(e.strip() for e in re.split(r",\s*-\s", examples.removeprefix("Examples: - ")) if e.strip()),
                _replacement(c) if c["Action"] in REPLACED else None, line)


def _replacement(c: dict[str, str]) -> str:
    definition = c["CIPDefinition"].strip()
    moved = MOVED.match(definition)
    if c["Action"] == "Moved from":
        if not moved or moved.group(1) != c["CIPCode"]:
            raise RowError("CIPDefinition", f"{definition[:60]!r} does not say where {c['CIPCode']} moved; expected "
                                            f"'Moved from {c['CIPCode']} to NN.NNNN'")
        return moved.group(2)
    deleted = DELETED.match(definition)
    if not deleted:
        raise RowError("CIPDefinition", f"{definition[:60]!r} does not say where {c['CIPCode']} is reported now; "
                                        "expected 'Deleted, Report under NN.NNNN'")
    return deleted.group(1)


def _check_references(table: Table, codes: list[Code], problems: Problems) -> None:
    """Every code a row points to (parent, move, cross-reference) is a CIP 2020 code of the file."""
    current = {c.code: c for c in codes if c.action not in REPLACED}
    for c in codes:
        try:
            if c.action not in REPLACED and c.parent and c.parent not in current:
                raise RowError("CIPCode", f"{c.code} belongs to {c.parent}, which the file does not list")
            if c.replaced_by is not None:
                target = current.get(c.replaced_by)
                if target is None:
                    raise RowError("CIPDefinition", f"names {c.replaced_by}, which is not a CIP 2020 code of the file")
                if c.action == "Moved from" and target.action != "Moved to":
                    raise RowError("CIPDefinition", f"moves {c.code} to {c.replaced_by}, whose Action is "
                                                    f"{target.action!r}; expected 'Moved to'")
            for ref in c.see_also:
                if ref not in current:
                    raise RowError("CrossReferences", f"names {ref}, which is not a CIP 2020 code of the file")
        except RowError as exc:
            problems.add(table.row_problem(c.row, exc))


def cip_concepts(out: Concepts, iris: Iris, codes: list[Code]) -> None:
    scheme, old_scheme = str(iris.code_list("cip2020")), str(iris.code_list("cip2010"))
    out.scheme(scheme, SCHEMES["cip2020"].label)
    if any(c.replaced_by is not None for c in codes):
        out.scheme(old_scheme, SCHEMES["cip2010"].label)
    for c in codes:
        if c.replaced_by is not None:
            node = str(iris.code_node("cip2010", c.code))
            out.concept(node, [SG.CodedConcept], old_scheme, c.code, c.title)
            target = str(iris.code_node("cip2020", c.replaced_by))
            out.link(node, REPLACED_BY, target)
            out.link(target, REPLACES, node)
            out.text(node, CHANGE, c.definition)
        else:
            node = str(iris.code_node("cip2020", c.code))
            program = [SG.InstructionalProgram] if len(c.code) == 7 else [SG.CodedConcept]
            out.concept(node, program, scheme, c.code, c.title)
            out.t(iri(node), LEVEL, en(LEVELS[len(c.code)]))
            out.text(node, DEFINITION, c.definition)
            out.texts(node, EXAMPLE, c.examples)
            for ref in c.see_also:
                out.link(node, SEE_ALSO, str(iris.code_node("cip2020", ref)))
            if c.parent:
                out.broader(node, str(iris.code_node("cip2020", c.parent)))
            else:
                out.top(node, scheme)
        out.t(iri(node), ACTION, en(c.action))
        out.t(iri(node), TEXT_CHANGED, boolean(c.text_changed))
