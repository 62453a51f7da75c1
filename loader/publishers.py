"""The publishers of the files the crosswalk and classification importers read, each named once
(one agent IRI for every release it publishes), with the licences they publish under and the
attribution texts they ask reusers to show."""
from __future__ import annotations

from rdflib import URIRef

from .graphs import CC_BY

# U.S. federal works are in the public domain (17 U.S.C. 105); NCES and BLS state no other licence.
US_PUBLIC_DOMAIN = URIRef("https://creativecommons.org/publicdomain/mark/1.0/")
# ESCO is reused under the Commission's reuse policy, free with attribution.
EU_REUSE = URIRef("https://eur-lex.europa.eu/eli/dec/2011/833/oj")

ONET = "National Center for O*NET Development, for USDOL/ETA"
ONET_LICENCE = CC_BY
ONET_ATTRIBUTION = ("Includes information from the O*NET crosswalks by the U.S. Department of Labor, Employment and "
                    "Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of "
                    "USDOL/ETA.")
NCES = "U.S. Department of Education, National Center for Education Statistics (NCES)"
BLS = "U.S. Bureau of Labor Statistics (BLS)"
ESCO = "European Commission, Directorate-General for Employment, Social Affairs and Inclusion"
ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
