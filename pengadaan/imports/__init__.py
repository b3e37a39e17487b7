"""Parsing, cleaning and loading of LKPP files and of our own templates."""
