"""An independent reader of the reference page (../shared/seed/000_405b632a595d82ed.txt).

The page is the text of one catalogue page, as a browser renders it to text. This module
knows only the page's layout; it does not import the loader, so the tests built on it
compare the graph with the page rather than the loader with itself.

Layout, as the page prints it:

* Blocks are separated by blank lines.
* Competencies: a level name line ("Emerging"), its role title line ("Entry /
  Apprentice"), then numbered items in which label and text are glued together with
  nothing between them ("  1. Client observation recordsdocument initial ...").
* AI-use and durable-skill items: "  1. Label — text" followed by citation chips, each
  printed as the chip's short text glued to its full citation and the screen-reader
  suffix ". Opens in new tab.", chips separated by one space. An AI-use sentence's final
  period is printed after the chips ("... before filing Chip. Opens in new tab..");
  this reader puts it back at the end of the text. Durable-skill texts have no period.
* Durable-skill domains start with a header such as "1Communication12 statements".
* The anchors block lists related titles (joined with " · "), descriptor names glued
  together with nothing between them, numbered tasks and CIP codes glued together.

The chip boundaries cannot be recovered from the text alone (the short text, the full
citation and the statement text run into each other), so the caller passes the chip
strings it knows; any remaining "Opens in new tab" text is reported as an unknown chip.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

CHIP_SUFFIX = ". Opens in new tab."
SEED_FILE_NAME = "000_405b632a595d82ed.txt"

DESCRIPTOR_HEADINGS = ("O*NET skills", "Knowledge domains", "Abilities", "Work styles", "Technology")
ANCHOR_HEADINGS = ("Related titles", "RAPIDS apprenticeships", *DESCRIPTOR_HEADINGS,
                   "Tasks · seed anchors for statements", "CIP education codes")

_ITEM = re.compile(r"^\s+(\d+)\. (.*)$")
_DOMAIN = re.compile(r"^(\d+)(\D.*?)(\d+) statements$")
_HEADER = re.compile(r"^SOC (\d{2}-\d{4}\.\d{2})Job Zone (\d+) · (.+?)v\.(\d{2}\.\d{2})$")


class SeedPageError(ValueError):
    """The page does not have the layout this reader expects."""


@dataclass(frozen=True)
class CitedItem:
    position: int
    label: str
    text: str
    chips: tuple[str, ...]


@dataclass(frozen=True)
class DurableDomain:
    number: int
    name: str
    declared_count: int
    levels: dict[str, list[CitedItem]]

    @property
    def items(self) -> list[tuple[str, CitedItem]]:
        return [(level, item) for level, items in self.levels.items() for item in items]


@dataclass(frozen=True)
class EvidenceLine:
    group: str
    label: str | None  # None for lines printed without "label: " (the WEF cluster's name and code)
    value: str


@dataclass
class SeedPage:
    catalogue_title: str = ""
    title: str = ""
    code: str = ""
    job_zone_number: int = 0
    job_zone_name: str = ""
    version: str = ""
    context: str = ""
    roles: dict[str, str] = field(default_factory=dict)
    competencies: dict[str, list[str]] = field(default_factory=dict)
    occupations_with_source_data: int = 0
    ai_use_note: str = ""
    ai_use: dict[str, list[CitedItem]] = field(default_factory=dict)
    evidence: list[EvidenceLine] = field(default_factory=list)
    durable_note: str = ""
    domains: list[DurableDomain] = field(default_factory=list)
    anchor_count: int = 0
    anchor_source: str = ""
    related_titles: list[str] = field(default_factory=list)
    rapids_apprenticeships: list[str] = field(default_factory=list)
    descriptors: dict[str, str] = field(default_factory=dict)
    tasks: list[str] = field(default_factory=list)
    cip: list[str] = field(default_factory=list)
    footer_sources: list[str] = field(default_factory=list)
    rights: str = ""

    def evidence_value(self, group: str, label: str) -> str:
        found = [e.value for e in self.evidence if e.group == group and e.label == label]
        if len(found) != 1:
            raise KeyError(f"evidence {group}/{label}: found {found}")
        return found[0]


# ---- chips and the source registry ---------------------------------------------------

def chip_strings(sources_yaml: Path) -> dict[str, str]:
    """{page chip string: source code} from data/registries/sources.yaml (read with PyYAML only)."""
    sources = yaml.safe_load(sources_yaml.read_text(encoding="utf-8"))["sources"]
    return {entry["chip"] + entry["citation"] + CHIP_SUFFIX: code
            for code, entry in sources.items() if entry.get("chip")}


def split_chips(rest: str, known: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """'text Chip1 Chip2' -> ('text', (Chip1, Chip2)), peeling known chips off the end."""
    known = sorted(set(known), key=len, reverse=True)
    chips: list[str] = []
    while True:
        for chip in known:
            if rest.endswith(" " + chip):
                chips.insert(0, chip)
                rest = rest[: -len(chip) - 1]
                break
        else:
            break
    if "Opens in new tab" in rest:
        raise SeedPageError(f"unknown citation chip in: {rest!r}")
    return rest, tuple(chips)


# ---- the page -------------------------------------------------------------------------

def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _find(blocks: list[list[str]], predicate, what: str) -> int:
    hits = [i for i, b in enumerate(blocks) if predicate(b)]
    if len(hits) != 1:
        raise SeedPageError(f"expected one block with {what}, found {len(hits)}")
    return hits[0]


def _numbered(items: list[tuple[int, str]], where: str) -> list[str]:
    numbers = [n for n, _ in items]
    if numbers != list(range(1, len(items) + 1)):
        raise SeedPageError(f"{where}: items are numbered {numbers}, expected 1..{len(items)}")
    return [body for _, body in items]


def _cited_item(position: int, body: str, known_chips: Iterable[str], final_period: bool, where: str) -> CitedItem:
    label, sep, rest = body.partition(" — ")
    if not sep:
        raise SeedPageError(f"{where} item {position}: no ' — ' between label and text: {body!r}")
    if final_period:
        if not rest.endswith("."):
            raise SeedPageError(f"{where} item {position}: the sentence does not end with a period: {body!r}")
        rest = rest[:-1]
        # The period printed after the chips belongs to the sentence; with no chips it
        # closes the sentence directly.
        text, chips = split_chips(rest if rest.endswith(CHIP_SUFFIX) else rest + ".", known_chips)
        if chips:
            text += "."
    else:
        text, chips = split_chips(rest, known_chips)
    return CitedItem(position, label, text, chips)


def _levels(lines: list[str], where: str) -> dict[str, list[tuple[int, str]]]:
    """Non-item lines name levels; numbered lines are the items of the last named level."""
    levels: dict[str, list[tuple[int, str]]] = {}
    current = None
    for line in lines:
        m = _ITEM.match(line)
        if m:
            if current is None:
                raise SeedPageError(f"{where}: item before any level: {line!r}")
            levels[current].append((int(m.group(1)), m.group(2)))
        else:
            current = line.strip()
            if current in levels:
                raise SeedPageError(f"{where}: level {current!r} appears twice")
            levels[current] = []
    return levels


def parse_seed_page(text: str, known_chips: Iterable[str]) -> SeedPage:
    known_chips = list(known_chips)
    page = SeedPage()
    blocks = _blocks(text)

    # header
    top = blocks[0][0]
    m = re.match(r"^NSX(.+)Sign in$", top)
    if not m:
        raise SeedPageError(f"unexpected top line {top!r}")
    page.catalogue_title = m.group(1)
    page.title = blocks[1][0].strip()
    header = _find(blocks, lambda b: b[0].startswith("SOC "), "the SOC header")
    m = _HEADER.match(blocks[header][0])
    if not m:
        raise SeedPageError(f"unexpected header {blocks[header][0]!r}")
    page.code, page.job_zone_number, page.job_zone_name, page.version = m.group(1), int(m.group(2)), m.group(3), m.group(4)
    ctx = _find(blocks, lambda b: b[0].startswith("Context covered"), "the context")
    page.context = blocks[ctx][0][len("Context covered"):]

    # competencies: the block after the context, a level line then a role line per level
    current = None
    role_pending = False
    for line in blocks[ctx + 1]:
        m = _ITEM.match(line)
        if m:
            page.competencies[current].append((int(m.group(1)), m.group(2)))  # type: ignore[index]
            role_pending = False
        elif role_pending:
            page.roles[current] = line.strip()  # type: ignore[index]
            role_pending = False
        else:
            current = line.strip()
            page.competencies[current] = []  # type: ignore[assignment]
            role_pending = True
    page.competencies = {lv: _numbered(items, f"competencies {lv}") for lv, items in page.competencies.items()}  # type: ignore[arg-type]

    occ = _find(blocks, lambda b: b[0].startswith("Authoritative source data identified for"), "the occupation count")
    page.occupations_with_source_data = int(re.search(r"for (\d+) occupations", blocks[occ][0]).group(1))  # type: ignore[union-attr]
    page.ai_use_note = blocks[occ + 1][0]

    # AI use, then the evidence pack, in one block
    ai_block = blocks[occ + 2]
    split = ai_block.index("Evidence pack")
    for level, items in _levels(ai_block[:split], "AI use").items():
        bodies = _numbered(items, f"AI use {level}")
        page.ai_use[level] = [_cited_item(n, body, known_chips, True, f"AI use {level}") for n, body in enumerate(bodies, 1)]
    # A line without "label: " starts a group, unless the current group has no labelled
    # lines: then it is one of that group's unlabelled values (the WEF cluster's name, code).
    group = None
    for line in ai_block[split + 1:]:
        label, sep, value = line.partition(": ")
        in_group = [e for e in page.evidence if e.group == group]
        if sep:
            if group is None:
                raise SeedPageError(f"evidence line before any group: {line!r}")
            page.evidence.append(EvidenceLine(group, label, value))
        elif group is not None and all(e.label is None for e in in_group):
            page.evidence.append(EvidenceLine(group, None, line))
        else:
            group = line
    page.durable_note = blocks[occ + 3][0]

    # durable skills: domain headers, level lines, items; ends with the anchors summary line
    durable = blocks[occ + 4]
    domain_lines: list[list[str]] = []
    for line in durable:
        if _DOMAIN.match(line):
            domain_lines.append([line])
        elif line.startswith("Show O*NET source anchors"):
            m = re.match(r"^Show O\*NET source anchors(\d+) anchors · (.+)$", line)
            if not m:
                raise SeedPageError(f"unexpected anchors line {line!r}")
            page.anchor_count, page.anchor_source = int(m.group(1)), m.group(2)
        else:
            if not domain_lines:
                raise SeedPageError(f"durable skills: line before any domain: {line!r}")
            domain_lines[-1].append(line)
    for lines in domain_lines:
        m = _DOMAIN.match(lines[0])
        number, name, declared = int(m.group(1)), m.group(2), int(m.group(3))  # type: ignore[union-attr]
        levels = {}
        for level, items in _levels(lines[1:], f"durable {name}").items():
            bodies = _numbered(items, f"durable {name} {level}")
            levels[level] = [_cited_item(n, body, known_chips, False, f"durable {name} {level}") for n, body in enumerate(bodies, 1)]
        domain = DurableDomain(number, name, declared, levels)
        if len(domain.items) != declared:
            raise SeedPageError(f"domain {name} declares {declared} statements but lists {len(domain.items)}")
        page.domains.append(domain)

    # anchors
    anchors = blocks[_find(blocks, lambda b: b[0] == "Related titles", "the related titles")]
    sections: dict[str, list[str]] = {}
    heading = None
    for line in anchors:
        if line in ANCHOR_HEADINGS:
            heading = line
            sections[heading] = []
        elif heading is None:
            raise SeedPageError(f"anchors: line before any heading: {line!r}")
        else:
            sections[heading].append(line)
    if tuple(sections) != ANCHOR_HEADINGS:
        raise SeedPageError(f"anchor headings {list(sections)} != {list(ANCHOR_HEADINGS)}")
    page.related_titles = [t for line in sections["Related titles"] for t in line.split(" · ")]
    page.rapids_apprenticeships = [t for line in sections["RAPIDS apprenticeships"] for t in line.split(" · ")]
    for name in DESCRIPTOR_HEADINGS:
        if len(sections[name]) != 1:
            raise SeedPageError(f"{name}: expected one glued line, got {sections[name]}")
        page.descriptors[name] = sections[name][0]
    tasks = []
    for line in sections["Tasks · seed anchors for statements"]:
        m = _ITEM.match(line)
        if not m:
            raise SeedPageError(f"tasks: not a numbered line: {line!r}")
        tasks.append((int(m.group(1)), m.group(2)))
    page.tasks = _numbered(tasks, "tasks")
    glued_cip = "".join(sections["CIP education codes"])
    page.cip = re.findall(r"\d{2}\.\d{4}", glued_cip)
    if "".join(page.cip) != glued_cip:
        raise SeedPageError(f"CIP codes do not split into NN.NNNN codes: {glued_cip!r}")

    # footer
    footer = blocks[-1][0]
    m = re.match(r"^Sources: (.*?)\. (©.*?)\.?$", footer)
    if not m:
        raise SeedPageError(f"unexpected footer {footer!r}")
    page.footer_sources = _split_top_level(m.group(1))
    page.rights = m.group(2)
    return page


def _split_top_level(text: str) -> list[str]:
    """Split 'A, B (x, y), C' on the commas outside parentheses."""
    out, depth, current = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return out


def read_seed_page(seed_file: Path, sources_yaml: Path) -> SeedPage:
    return parse_seed_page(seed_file.read_text(encoding="utf-8"), chip_strings(sources_yaml))
