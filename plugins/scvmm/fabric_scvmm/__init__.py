"""The SCVMM provider plug-in: PowerShell rendered from sandboxed jinja2 templates.

`quoting` is the one filter every value passes through; `scripts` is the template environment
that refuses unquoted values; `templates/` holds one script per kind and operation plus the
one-round-trip read script, parsed by `inventory`; `transport` runs scripts over WinRM;
`provider` implements the provider protocol, offline inventories and plan scripts; `cli`
adds `fabric scvmm …`.
"""
