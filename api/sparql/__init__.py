"""The SPARQL 1.1 endpoint: protocol, the gate queries run through, results, policy, service description."""
