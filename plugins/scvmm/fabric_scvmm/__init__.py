"""The SCVMM provider plug-in: PowerShell rendered from sandboxed jinja2 templates.

`quoting` is the one filter every value passes through; `scripts` is the template environment
that refuses unquoted values; `kinds/<kind>/` is everything about one kind (its create, update,
delete and read scripts, its inventory parser, the properties its read uses), `templates/` the
shared macros, the one-round-trip read script (parsed by `inventory`) and the self-test,
`reading` what the kinds' parsers share; `versions` is what each target VMM version
can do (`vmm_version`), `checks` what validation refuses for it, `properties` every VMM property
the scripts read with its source; `transport` runs scripts over WinRM; `provider` implements the
provider protocol, offline inventories and plan scripts; `selftest` is the lab check of what the
cmdlet reference leaves open; `cli` adds `fabric scvmm …`.
"""
