"""The binding check: rendered PowerShell parsed with tree-sitter, every command call bound to a
parameter set of the target VMM version's signature table (`fabric_scvmm.signatures`).

`checker` binds the calls of one script; `generate` renders every script the provider can write
(every kind, operation and template branch, the read script, plan scripts and the golden files)
and measures which template lines the renders reached; `report` runs both for every version and
writes the failures to a file (`python tests/scvmm/binding/report.py`).
"""
