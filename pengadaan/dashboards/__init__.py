"""The read side of DESIGN §5 and §7: the completion numbers and the red flags (tanda bahaya), stored
per OPD and year and kept current.

Imports point downward only: `selectors` (what pages read) → `ringkasan` (the stored numbers) →
`compute` (the §5 numbers) and `tanda_bahaya` (the rules) → `pengadaan.models`. `invalidation`
(the writes' side: raise the generasi, queue a refresh) uses `ringkasan` and the models only.
"""
