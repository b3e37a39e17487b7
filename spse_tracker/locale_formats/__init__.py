"""Date formats per language where ours differ from Django's (`FORMAT_MODULE_PATH`): a date reads
`5 Des 2026` on an Indonesian page and `Dec 5, 2026` on an English one. Numbers keep Django's
separators for each language."""
