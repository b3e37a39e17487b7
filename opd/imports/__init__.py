"""Bulk import: reading files safely (`files`), one resource per kind, and the registry of kinds."""
