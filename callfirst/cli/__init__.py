"""The command line: thin click commands over `callfirst.api`."""

from .app import main

__all__ = ["main"]
