"""skillsgraph: occupational skills frameworks as linked data."""

__version__ = "0.1.0"
