"""Read models: what the store says about a resource, as plain values that documents and pages render."""
