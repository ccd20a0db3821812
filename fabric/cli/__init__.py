"""The command line: a typer app, one module per command group. The only place that prints or exits."""
