"""The SCVMM provider plug-in (in progress): PowerShell rendered from sandboxed jinja2 templates.

Built so far: the quoting filter, the template environment that refuses unquoted values,
and one template per kind and operation. Not built yet: the inventory read script, the
WinRM transport (pypsrp), offline inventories and script export; until then the plug-in
is not registered as a provider.
"""
