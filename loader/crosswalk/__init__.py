"""Importer of published crosswalk files: `skillsgraph import crosswalk KIND FILE`.

table (the file's header and rows) -> codes (each value checked) -> kinds (what each published
file is and how a row becomes a mapping) -> rdf (mapping facts with provenance) -> importer
(the command's one entry point, import_crosswalk).
"""
