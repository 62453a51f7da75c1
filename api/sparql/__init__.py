"""The SPARQL 1.1 endpoint: protocol, screening and admission, the workers and gate queries run in, results, policy, service description."""
