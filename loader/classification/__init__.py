"""Importers of published classifications: `skillsgraph import classification KIND PATH...`.

soc, cip and esco (each a reader of its publisher's files) -> concepts (the SKOS writer they
share) -> importer (the command's one entry point, import_classification, and the release node).
The concepts are the code nodes the crosswalks (loader.crosswalk) name, so a crosswalk hop lands
on a concept with its title, definition and place in the hierarchy.
"""
