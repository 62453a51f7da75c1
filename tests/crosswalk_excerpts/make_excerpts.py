"""Write the crosswalk excerpts that are not plain text: the three workbooks, and the ESCO-O*NET
CSV (its quoted, multi-line fields are easier to get right with the csv module than by hand).

    python tests/crosswalk_excerpts/make_excerpts.py

The files are committed; run this only to change them. Each keeps the layout of the real file
(sheet name, title rows above the header, header text, numbers where Excel stores numbers) so
that the importer reads the excerpt exactly as it reads the download. README.md says where each
real file comes from and which rows could not be checked against it.
"""
from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
THERAPISTS = "Therapists, All Other"


def cip_soc() -> None:
    """NCES: sheet CIP-SOC, header on row 1, CIP codes stored as numbers, NO MATCH rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "CIP-SOC"
    ws.append(["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"])
    for row in (
        (1.0101, "Agricultural Business and Management, General.", "11-9013",
         "Farmers, Ranchers, and Other Agricultural Managers"),
        (51.23, "Rehabilitation and Therapeutic Professions, General.", "29-1129", THERAPISTS),
        (51.2301, "Art Therapy/Therapist.", "29-1129", THERAPISTS),
        (51.2302, "Dance Therapy/Therapist.", "29-1129", THERAPISTS),
        (51.2305, "Music Therapy/Therapist.", "29-1129", THERAPISTS),
        (51.3801, "Registered Nursing/Registered Nurse.", "29-1141", "Registered Nurses"),
        (99.9999, "NO MATCH", "35-3031", "Waiters and Waitresses"),
    ):
        ws.append(list(row))
    wb.save(HERE / "CIP2020_SOC2018_Crosswalk.xlsx")


def _titled(title: str, header: list[str], rows: list[tuple], name: str) -> None:
    """O*NET's workbooks: title rows, then the header on row 4."""
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["O*NET Resource Center, https://www.onetcenter.org/crosswalks.html"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    wb.save(HERE / name)


def onet_cip() -> None:
    _titled("Education: CIP 2020 to O*NET-SOC 2019 Crosswalk",
            ["CIP Code", "CIP Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"], [
                ("51.2301", "Art Therapy/Therapist.", "29-1129.01", "Art Therapists"),
                (51.2305, "Music Therapy/Therapist.", "29-1129.02", "Music Therapists"),
                (51.23, "Rehabilitation and Therapeutic Professions, General.", "29-1129.00", THERAPISTS),
                (51.3801, "Registered Nursing/Registered Nurse.", "29-1141.00", "Registered Nurses"),
            ], "Education_CIP_to_ONET_SOC.xlsx")


def onet_esco() -> None:
    """ESCO codes as text: 0110.10 must not become 0110.1."""
    _titled("ESCO to O*NET-SOC Crosswalk",
            ["ESCO/ISCO Code", "ESCO/ISCO Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"], [
                ("2269", "Health professionals not elsewhere classified", "29-1129.01", "Art Therapists"),
                ("2269.1", "art therapist", "29-1129.01", "Art Therapists"),
                ("0110.10", "army officer", "55-1019.00", "Military Officer Special and Tactical Operations Leaders, All Other"),
                ("0110.1", "air force officer", "55-1011.00", "Air Crew Officers"),
            ], "ESCO_to_ONET-SOC.xlsx")


ESCO_METADATA = [
    "Crosswalk between ESCO and O*NET",
    "Source classification: O*NET-SOC 2019 occupations",
    "Target classification: ESCO v1.1 occupations and ISCO-08 groups",
    "",
    "Columns:",
    "O*NET Id: the O*NET-SOC 2019 code",
    "O*NET Title: the O*NET-SOC 2019 title",
    "O*NET Description: the O*NET-SOC 2019 description",
    "ESCO or ISCO URI: the ESCO occupation or ISCO-08 group matched",
    "ESCO or ISCO Title: its preferred label",
    "ESCO or ISCO Description: its description",
    "Type of Match: exactMatch, closeMatch, broadMatch, narrowMatch or relatedMatch (SKOS)",
    "",
    "Produced by the ESCO secretariat with machine learning and human validation",
    "European Commission, Directorate-General for Employment, Social Affairs and Inclusion",
    "",
]
ESCO_HEADER = ["O*NET Id", "O*NET Title", "O*NET Description", "ESCO or ISCO URI", "ESCO or ISCO Title",
               "ESCO or ISCO Description", "Type of Match"]
ART = "Plan or conduct art therapy sessions or programs to improve clients' physical, cognitive, or emotional well-being."
ART_ESCO = ("Art therapists help patients overcome psychological and emotional difficulties through an artistic process "
            "which reflects emotions and feelings, focusing on patients who suffer a variety of problems such as mental, "
            "psychological, and behavioural disorders in order to facilitate self-understanding and awareness.")


def esco_onet() -> None:
    """Sixteen metadata lines above the header; every field quoted; a description spanning two lines."""
    rows = [
        ["29-1129.01", "Art Therapists", ART, "http://data.europa.eu/esco/occupation/3c21e237-53db-4bed-938d-3e8a70ee3d3c",
         "art therapist", ART_ESCO, "exactMatch"],
        ["29-1129.01", "Art Therapists", ART, "http://data.europa.eu/esco/isco/C2269",
         "Health professionals not elsewhere classified",
         "This unit group covers health professionals not classified elsewhere in sub-major group 22:\nHealth professionals.",
         "broadMatch"],
    ]
    with open(HERE / "ONET_(Occupations)_0_updated.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for line in ESCO_METADATA:
            writer.writerow([line] + [""] * 6)
        writer.writerow(ESCO_HEADER)
        writer.writerows(rows)


if __name__ == "__main__":
    cip_soc()
    onet_cip()
    onet_esco()
    esco_onet()
