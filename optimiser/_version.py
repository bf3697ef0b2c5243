"""The package version, in a module of its own so that any part can read it without importing the
public API (``optimiser/__init__.py``), which would be an import cycle."""

__version__ = "0.1.0"
