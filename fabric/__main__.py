"""`python -m fabric`."""

from fabric.cli.entry import main

main()
