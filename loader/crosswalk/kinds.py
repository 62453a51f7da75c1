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
  pairs broadMatch, so closeMatch would overstate them; relatedMatch is true of every row.

Direction. ESCO rows are read with the ESCO (or ISCO) concept as subject and the O*NET-SOC
occupation as object, in both ESCO files: the ESCO-O*NET crosswalk's Type of Match reads that
way round (a row pairing ESCO's "chief operating officer" with O*NET's Chief Executives is
broadMatch: Chief Executives is the broader).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import URIRef

from ..graphs import CC_BY, MAPPING_RELATIONS
from ..iris import isco_of_iri
from ..tables import RowError
from .codes import cip_code, esco_code, esco_iri, onet_soc_code, soc_code, title
from .table import Layout

# U.S. federal works are in the public domain (17 U.S.C. 105); NCES states no other licence.
US_PUBLIC_DOMAIN = URIRef("https://creativecommons.org/publicdomain/mark/1.0/")
ONET_PUBLISHER = "National Center for O*NET Development, for USDOL/ETA"
NO_MATCH = "NO MATCH"
# Reported by users of the ESCO-O*NET file for its rows that name an ISCO group rather than
# an ESCO occupation; not seen in a copy of the file here, so accepted only for ISCO rows.
ISCO_MATCH_TYPES = {"exactISCO": "exactMatch"}


@dataclass(frozen=True)
class Node:
    """One end of a mapping: a code of a scheme of skillsgraph.iris.CODE_PATHS, or an ESCO IRI
    (scheme 'esco', code = the IRI)."""
    scheme: str
    code: str
    title: str

    @property
    def key(self) -> tuple[str, str]:
        """What names the node: its titles may differ from row to row, its code may not."""
        return self.scheme, self.code


@dataclass(frozen=True)
class Pair:
    """What one row states: subject, object and, where the row says it, the relation."""
    subject: Node
    obj: Node
    relation: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    published_as: str            # the file's name as distributed
    download: str
    publisher: str
    license: URIRef | None
    default_release: str
    columns: tuple[str, ...]
    parse: Callable[[dict[str, object]], Pair | None]   # None: the row is not a mapping (NO MATCH)
    relation_rule: str
    forms: tuple[str, ...] = (".csv", ".xlsx")
    sheet: str | None = None
    preamble: dict[str, int] = field(default_factory=lambda: {".csv": 0, ".xlsx": 0})
    by_cardinality: bool = False

    def layout(self, path: Path) -> Layout:
        suffix = path.suffix.lower()
        return Layout(self.columns, self.sheet if suffix == ".xlsx" else None, self.preamble.get(suffix, 0))


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
    return Pair(Node("cip2020", cip_code(c, "CIP Code"), title(c, "CIP Title")),
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
    code = esco_code(c, "ESCO/ISCO Code")
    scheme = "esco-code" if "." in code else "isco08"
    return Pair(Node(scheme, code, title(c, "ESCO/ISCO Title")),
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
        out.append(Pair(p.subject, p.obj, relation))
    return out


# ---- the kinds -----------------------------------------------------------------------------------

ONET_TITLE_ROWS = {".csv": 0, ".xlsx": 5}   # the Excel forms carry title rows above the header

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("onet-soc-2010-2019", "O*NET-SOC 2010 to O*NET-SOC 2019 Crosswalk", "2010_to_2019_Crosswalk.csv",
         "https://www.onetcenter.org/taxonomy/2019/walk/2010_to_2019_Crosswalk.csv?fmt=csv", ONET_PUBLISHER, CC_BY,
         "2019", ("O*NET-SOC 2010 Code", "O*NET-SOC 2010 Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"),
         _onet_2010_2019, "by cardinality: 1:1 exactMatch, split narrowMatch, merge broadMatch",
         preamble=ONET_TITLE_ROWS, by_cardinality=True),
    Kind("onet-soc-soc2018", "O*NET-SOC 2019 to 2018 SOC Crosswalk", "2019_to_SOC_Crosswalk.csv",
         "https://www.onetcenter.org/taxonomy/2019/soc/2019_to_SOC_Crosswalk.csv?fmt=csv", ONET_PUBLISHER, CC_BY,
         "2019", ("O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title", "2018 SOC Code", "2018 SOC Title"),
         _onet_soc2018, "by cardinality: the only O*NET-SOC code of a SOC code exactMatch, else broadMatch",
         preamble=ONET_TITLE_ROWS, by_cardinality=True),
    Kind("cip-soc", "CIP 2020 to SOC 2018 Crosswalk", "CIP2020_SOC2018_Crosswalk.xlsx",
         "https://nces.ed.gov/ipeds/cipcode/Files/CIP2020_SOC2018_Crosswalk.xlsx",
         "U.S. Department of Education, National Center for Education Statistics (NCES)", US_PUBLIC_DOMAIN,
         "2020", ("CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"), _cip_soc,
         "relatedMatch; NO MATCH rows are skipped", forms=(".xlsx",), sheet="CIP-SOC"),
    Kind("onet-cip", "Education: CIP 2020 to O*NET-SOC 2019 Crosswalk", "Education_CIP_to_ONET_SOC.xlsx",
         "https://www.onetcenter.org/crosswalks/cip/Education_CIP_to_ONET_SOC.xlsx", ONET_PUBLISHER, CC_BY,
         "2020", ("CIP Code", "CIP Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"), _onet_cip,
         "relatedMatch", preamble=ONET_TITLE_ROWS),
    Kind("esco-onet", "Crosswalk between ESCO and O*NET", "ONET_(Occupations)_0_updated.csv",
         "https://esco.ec.europa.eu/en/about-esco/data-science-and-esco/crosswalk-between-esco-and-onet",
         "European Commission, Directorate-General for Employment, Social Affairs and Inclusion", CC_BY,
         "1.1.0", ("O*NET Id", "O*NET Title", "O*NET Description", "ESCO or ISCO URI", "ESCO or ISCO Title",
                   "ESCO or ISCO Description", "Type of Match"), _esco_onet,
         "the row's Type of Match, ESCO (or ISCO) concept as subject", forms=(".csv",), preamble={".csv": 20}),
    Kind("onet-esco", "ESCO to O*NET-SOC Crosswalk", "ESCO_to_ONET-SOC.xlsx",
         "https://www.onetcenter.org/crosswalks/esco/ESCO_to_ONET-SOC.xlsx", ONET_PUBLISHER, CC_BY,
         "2019", ("ESCO/ISCO Code", "ESCO/ISCO Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"), _onet_esco,
         "relatedMatch (the file states no match type)", forms=(".xlsx",), preamble=ONET_TITLE_ROWS),
)}


def kinds_help() -> str:
    return "; ".join(f"{k.name}: {k.published_as} ({k.relation_rule})" for k in KINDS.values())


__all__ = ["KINDS", "Kind", "Node", "Pair", "cardinality_relations", "kinds_help"]
