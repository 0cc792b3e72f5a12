"""callfirst: cancel or reschedule a job interview — call first, then a draft email.

The library: `load_context()` reads your config and folder once; each job (`scan`, `plan`, `call_sheet`,
`record_call`, `draft`, `suggest_slots`, `status`) takes that context and, for one interview, an
`InterviewRef`. They are loaded on first use, so `import callfirst` stays cheap. The command line lives in
`callfirst.cli`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .api import (
        Context,
        DraftRequest,
        InterviewRef,
        Outcome,
        Overrides,
        Reason,
        TargetOptions,
        call_sheet,
        draft,
        load_context,
        plan,
        record_call,
        scan,
        status,
        suggest_slots,
    )
    from .config import Config
    from .integrations.home import Places, load_config

# Each public name, and the module it lives in.
_EXPORTS = {
    "Context": "callfirst.api",
    "DraftRequest": "callfirst.api",
    "InterviewRef": "callfirst.api",
    "Outcome": "callfirst.api",
    "Overrides": "callfirst.api",
    "Reason": "callfirst.api",
    "TargetOptions": "callfirst.api",
    "call_sheet": "callfirst.api",
    "draft": "callfirst.api",
    "load_context": "callfirst.api",
    "plan": "callfirst.api",
    "record_call": "callfirst.api",
    "scan": "callfirst.api",
    "status": "callfirst.api",
    "suggest_slots": "callfirst.api",
    "Config": "callfirst.config",
    "Places": "callfirst.integrations.home",
    "load_config": "callfirst.integrations.home",
}

__all__ = [
    "Config",
    "Context",
    "DraftRequest",
    "InterviewRef",
    "Outcome",
    "Overrides",
    "Places",
    "Reason",
    "TargetOptions",
    "__version__",
    "call_sheet",
    "draft",
    "load_config",
    "load_context",
    "plan",
    "record_call",
    "scan",
    "status",
    "suggest_slots",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'callfirst' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
