"""callfirst: cancel or reschedule a job interview — call first, then a draft email.

The library API lives in `callfirst.api`; the command line in `callfirst.cli`.
"""

__version__ = "0.1.0"
