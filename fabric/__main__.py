"""`python -m fabric`."""

from fabric.cli.app import main

main()
