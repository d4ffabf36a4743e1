"""RDF plumbing: stable IRIs, canonical serialisation, the store and SHACL validation."""
