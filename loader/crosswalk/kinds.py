"""The published crosswalk files the importer reads, one Kind each: where the file comes from,
its exact layout, how one row becomes a mapping (or is no mapping at all), and which SKOS
relation the mapping gets.

Relations. A file that states the relation is followed (the ESCO-O*NET crosswalk's Type of
Match). Where a file only pairs codes, the relation is what the pairing itself says and no more:

- O*NET-SOC 2010 -> 2019 and O*NET-SOC 2019 -> SOC 2018, by the cardinality of the whole file:
  a code paired with exactly one code that is paired with nothing else is exactMatch; a code
  split into several is narrowMatch each (the object is narrower); several codes merged into
  one are broadMatch (the object is broader); a many-to-many tangle is relatedMatch. So an
  O*NET-SOC detail code such as 29-1129.01 is broadMatch its SOC code 29-1129, which holds
  several O*NET-SOC occupations, and 29-1125.01 -> 29-1129.01 is exactMatch (a recoding).
- CIP programmes <-> occupations (NCES CIP-SOC, O*NET's CIP to O*NET-SOC): relatedMatch. A
  programme prepares for an occupation; it is not the occupation, nor broader or narrower.
- O*NET's ESCO_to_ONET-SOC.xlsx has no match type: relatedMatch, the only SKOS mapping relation
  that claims neither equivalence nor hierarchy. The crosswalk it comes from labels most of its
  pairs broadMatch, so closeMatch would overstate them; relatedMatch is true of every row. Its
  codes are ESCO occupation codes and ISCO-08 group codes; loader.crosswalk.esco_codes resolves
  them to ESCO's occupation IRIs and our ISCO-08 concepts through the ESCO classification.

Direction. ESCO rows are read with the ESCO (or ISCO) concept as subject and the O*NET-SOC
occupation as object, in both ESCO files: the ESCO-O*NET crosswalk's Type of Match reads that
way round (a row pairing ESCO's "chief operating officer" with O*NET's Chief Executives is
broadMatch: Chief Executives is the broader).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


from .. import publishers as pub
from ..graphs import CC_BY, MAPPING_RELATIONS
from ..iris import isco_of_iri
from ..release_rdf import Publication
from ..tables import Layout, RowError
from .codes import cip_code, esco_code, esco_iri, onet_soc_code, soc_code, title

NO_MATCH = "NO MATCH"
# Reported by users of the ESCO-O*NET file for its rows that name an ISCO group rather than
# an ESCO occupation; not seen in a copy of the file here, so accepted only for ISCO rows.
ISCO_MATCH_TYPES = {"exactISCO": "exactMatch"}
# O*NET's workbooks: a title, a subtitle and an empty row above the header on row 4.
ONET_HEADER_ROW = 4
# The footer O*NET puts under the last row of its ESCO crosswalk, naming the ESCO version it used.
ESCO_FOOTER = re.compile(r"uses the ESCO classification .*ESCO v(\d+(?:\.\d+)*) used")


@dataclass(frozen=True)
class Node:
    """One end of a mapping: a code of a scheme of skillsgraph.iris.CODE_PATHS, or an ESCO IRI
    (scheme 'esco', code = the IRI); 'esco-or-isco' is a code of O*NET's ESCO file before
    loader.crosswalk.esco_codes resolves it."""
    scheme: str
    code: str
    title: str

    @property
    def key(self) -> tuple[str, str]:
        """What names the node: its titles may differ from row to row, its code may not."""
        return self.scheme, self.code


@dataclass(frozen=True)
class Pair:
    """What one row states: subject, object and, where the row says it, the relation; a note
    where reading the row needed more than the row (a code recoded between releases)."""
    subject: Node
    obj: Node
    relation: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    published_as: str            # the file's name as distributed
    publication: Publication
    default_release: str
    columns: tuple[str, ...]
    parse: Callable[[dict[str, object]], Pair | None]   # None: the row is not a mapping (NO MATCH)
    relation_rule: str
    forms: dict[str, Layout] = field(default_factory=dict)   # suffix -> where the table is in that form
    by_cardinality: bool = False
    esco_codes: bool = False     # its codes are resolved through the ESCO classification

    @property
    def title(self) -> str:
        return self.publication.title

    def layout(self, path: Path) -> Layout:
        return self.forms[path.suffix.lower()]


def _forms(columns: tuple[str, ...], **forms: dict) -> dict[str, Layout]:
    return {f".{suffix}": Layout(columns, **spec) for suffix, spec in forms.items()}


# ---- rows ------------------------------------------------------------------------------------

def _onet_2010_2019(c: dict[str, object]) -> Pair:
    return Pair(Node("onet-soc2010", onet_soc_code(c, "O*NET-SOC 2010 Code"), title(c, "O*NET-SOC 2010 Title")),
                Node("onet-soc2019", onet_soc_code(c, "O*NET-SOC 2019 Code"), title(c, "O*NET-SOC 2019 Title")))


def _onet_soc2018(c: dict[str, object]) -> Pair:
    return Pair(Node("onet-soc2019", onet_soc_code(c, "O*NET-SOC 2019 Code"), title(c, "O*NET-SOC 2019 Title")),
                Node("soc2018", soc_code(c, "2018 SOC Code"), title(c, "2018 SOC Title")))


def _cip_soc(c: dict[str, object]) -> Pair | None:
    cip, soc = cip_code(c, "CIP2020Code"), str(c["SOC2018Code"] or "").strip()
    cip_title, soc_title = title(c, "CIP2020Title"), title(c, "SOC2018Title")
    # NCES pairs a programme with no occupation with 99-9999 NO MATCH, and an occupation with
    # no programme with 99.9999 NO MATCH: a statement of absence, not a mapping.
    if cip == "99.9999" or soc == "99-9999" or NO_MATCH in (cip_title.upper(), soc_title.upper()):
        return None
    return Pair(Node("cip2020", cip, cip_title), Node("soc2018", soc_code(c, "SOC2018Code"), soc_title), "relatedMatch")


def _onet_cip(c: dict[str, object]) -> Pair:
    return Pair(Node("cip2020", cip_code(c, "2020 CIP Code"), title(c, "2020 CIP Title")),
                Node("onet-soc2019", onet_soc_code(c, "O*NET-SOC 2019 Code"), title(c, "O*NET-SOC 2019 Title")),
                "relatedMatch")


def _esco_onet(c: dict[str, object]) -> Pair:
    iri = esco_iri(c, "ESCO or ISCO URI")
    isco = isco_of_iri(iri)
    subject = Node("isco08", isco, title(c, "ESCO or ISCO Title")) if isco else Node("esco", iri, title(c, "ESCO or ISCO Title"))
    match = str(c["Type of Match"] or "").strip()
    relation = ISCO_MATCH_TYPES.get(match) if isco else None
    relation = relation or match
    if relation not in MAPPING_RELATIONS:
        raise RowError("Type of Match", f"{match!r} is not a match type; expected one of {', '.join(MAPPING_RELATIONS)}")
    return Pair(subject, Node("onet-soc2019", onet_soc_code(c, "O*NET Id"), title(c, "O*NET Title")), relation)


def _onet_esco(c: dict[str, object]) -> Pair:
    return Pair(Node("esco-or-isco", esco_code(c, "ESCO/ISCO Code"), title(c, "ESCO/ISCO Title")),
                Node("onet-soc2019", onet_soc_code(c, "O*NET-SOC 2019 Code"), title(c, "O*NET-SOC 2019 Title")),
                "relatedMatch")


# ---- relations from the shape of the whole file --------------------------------------------------

def cardinality_relations(pairs: list[Pair]) -> list[Pair]:
    """Each pair with the relation its place in the file gives it (see the module's docstring)."""
    objects: dict[tuple[str, str], set[str]] = defaultdict(set)
    subjects: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in pairs:
        objects[p.subject.key].add(p.obj.code)
        subjects[p.obj.key].add(p.subject.code)
    out = []
    for p in pairs:
        split, merged = len(objects[p.subject.key]) > 1, len(subjects[p.obj.key]) > 1
        relation = ("relatedMatch" if split and merged else "narrowMatch" if split
                    else "broadMatch" if merged else "exactMatch")
        out.append(Pair(p.subject, p.obj, relation, p.note))
    return out


# ---- the kinds -----------------------------------------------------------------------------------

def _onet(title: str, page: str) -> Publication:
    return Publication(title, pub.ONET, pub.ONET_LICENCE, page, pub.ONET_ATTRIBUTION)


ONET_2010 = ("O*NET-SOC 2010 Code", "O*NET-SOC 2010 Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title")
ONET_SOC = ("O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title", "2018 SOC Code", "2018 SOC Title")
NCES_CIP_SOC = ("CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title")
ONET_CIP = ("2020 CIP Code", "2020 CIP Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title")
ESCO_ONET = ("O*NET Id", "O*NET Title", "O*NET Description", "ESCO or ISCO URI", "ESCO or ISCO Title",
             "ESCO or ISCO Description", "Type of Match")
ONET_ESCO = ("ESCO/ISCO Code", "ESCO/ISCO Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title")

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("onet-soc-2010-2019", "2010_to_2019_Crosswalk.csv",
         _onet("O*NET-SOC 2010 to O*NET-SOC 2019 Crosswalk", "https://www.onetcenter.org/taxonomy/2019/walk.html"),
         "2019", ONET_2010, _onet_2010_2019, "by cardinality: 1:1 exactMatch, split narrowMatch, merge broadMatch",
         _forms(ONET_2010, csv={}, xlsx={"header_line": ONET_HEADER_ROW}), by_cardinality=True),
    Kind("onet-soc-soc2018", "2019_to_SOC_Crosswalk.csv",
         _onet("O*NET-SOC 2019 to 2018 SOC Crosswalk", "https://www.onetcenter.org/taxonomy/2019/soc.html"),
         "2019", ONET_SOC, _onet_soc2018, "by cardinality: the only O*NET-SOC code of a SOC code exactMatch, else broadMatch",
         _forms(ONET_SOC, csv={}, xlsx={"header_line": ONET_HEADER_ROW}), by_cardinality=True),
    Kind("cip-soc", "CIP2020_SOC2018_Crosswalk.xlsx",
         Publication("CIP 2020 to SOC 2018 Crosswalk", pub.NCES, pub.US_PUBLIC_DOMAIN,
                     "https://nces.ed.gov/ipeds/cipcode/Files/CIP2020_SOC2018_Crosswalk.xlsx",
                     "The CIP 2020 to SOC 2018 crosswalk is published by the National Center for Education Statistics "
                     "(NCES) and the Bureau of Labor Statistics (BLS); a work of the U.S. federal government."),
         "2020", NCES_CIP_SOC, _cip_soc, "relatedMatch; NO MATCH rows are skipped",
         _forms(NCES_CIP_SOC, xlsx={"sheet": "CIP-SOC"}, csv={})),
    Kind("onet-cip", "Education_CIP_to_ONET_SOC.xlsx",
         _onet("Education: CIP 2020 to O*NET-SOC 2019 Crosswalk", "https://www.onetcenter.org/crosswalks/cip/Education_CIP_to_ONET_SOC.xlsx"),
         "2020", ONET_CIP, _onet_cip, "relatedMatch", _forms(ONET_CIP, xlsx={"header_line": ONET_HEADER_ROW})),
    Kind("esco-onet", "ONET_(Occupations)_0_updated.csv",
         Publication("Crosswalk between ESCO and O*NET", pub.ESCO, CC_BY,
                     "https://esco.ec.europa.eu/en/about-esco/data-science-and-esco/crosswalk-between-esco-and-onet",
                     pub.ESCO_ATTRIBUTION),
         "1.1.0", ESCO_ONET, _esco_onet, "the row's Type of Match, ESCO (or ISCO) concept as subject",
         _forms(ESCO_ONET, csv={"header_line": None, "preamble": 20})),
    Kind("onet-esco", "ESCO_to_ONET-SOC.xlsx",
         _onet("ESCO to O*NET-SOC Crosswalk", "https://www.onetcenter.org/crosswalks/esco/ESCO_to_ONET-SOC.xlsx"),
         "2019", ONET_ESCO, _onet_esco, "relatedMatch (the file states no match type)",
         _forms(ONET_ESCO, xlsx={"header_line": ONET_HEADER_ROW, "footer": ESCO_FOOTER}), esco_codes=True),
)}


def kinds_help() -> str:
    return "; ".join(f"{k.name}: {k.published_as} ({k.relation_rule})" for k in KINDS.values())


__all__ = ["KINDS", "Kind", "Node", "Pair", "cardinality_relations", "kinds_help"]
