"""Open data (DESIGN §13): the OCDS 1.1 release package of a year.

- `rilis`: one pencatatan as one release (the mapping; queries nothing).
- `paket`: the records a year publishes and the package streamed as JSON text (`PaketRilis`).
"""
