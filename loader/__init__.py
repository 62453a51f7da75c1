"""Loader: source data files -> validated RDF, and importers of published data.

Reading (source_files), checking against the data model (schema, source_data), minting IRIs
(iris), mapping to RDF (registry_rdf, framework_rdf, mappings_rdf, lineage; graphs for terms),
validating with SHACL (validation) and writing the build (build, with framework_jobs and
inputs; nquads for the output) each live in their own module; data flows one way. The
importers are sub-packages (onet, crosswalk), reading their files through tables.
"""
