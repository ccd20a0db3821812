"""fabric: declarative fabric-as-code for System Center Virtual Machine Manager."""

__version__ = "0.1.0"
