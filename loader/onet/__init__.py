"""Importer of O*NET database releases: `skillsgraph import onet DIR`.

layouts (the tables and their known layouts) -> release (form, version and files of a folder)
-> reader, values, records (each file's rows, checked and typed) -> triples (rows as N-Quads
lines) -> file_jobs (one job per file, in a pool) -> importer (the release graph, the command's
entry point import_release); framework_links then links the frameworks' tasks and related
titles to the release.
"""
