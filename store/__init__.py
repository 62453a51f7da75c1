"""Stores: where the built graph lives while it is queried."""
