"""Loader: source data files -> validated RDF.

Reading (source_files), checking against the data model (schema, references),
minting IRIs (iris), mapping to RDF (rdf_mapping), validating with SHACL (validation)
and writing the build (build) each live in their own module; data flows one way.
"""
