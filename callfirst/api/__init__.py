"""The library API: one function per job, each over a `Context` (what the run knows) and, for one interview,
an `InterviewRef`. The command line and the web page use nothing else.

    ctx = load_context()                                   # config.toml, the user folder, now, your zone
    found = scan(ctx, ["invite.eml"])                      # interviews and the notice they get
    ref = InterviewRef("invite.eml")
    sheet = call_sheet(ctx, ref)                           # the number, the script, the next step
    record_call(ctx, sheet.chosen.item, Outcome.NO_ANSWER)
    result = draft(ctx, ref, target="file", options=TargetOptions(out=Path("reply.eml")))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..calls import EmailChoice
    from ..context import Context, InterviewRef
    from ..drafts.compose import Draft, DraftRequest, Plan, Reason
    from ..integrations.state import Logged
    from ..integrations.targets import Delivered, TargetOptions
    from ..model import Overrides
    from ..outcome import Outcome
    from .calllog import CallRecorded, CallSheet, call_log, call_sheet, record_call, record_draft_made
    from .context import load_context, owner_zone
    from .emails import DraftResult, PlanResult, deliver, draft, plan
    from .finding import DEFAULT_DAYS, Chosen, choose_interview, default_window, event_references, named_by, scan
    from .free_times import Suggestion, suggest_slots
    from .overview import Acted, Status, status
    from .profile import SavedProfile, profile_details, save_profile

# Each public name and the module it lives in, relative to this package: loaded on first use, so that a
# command loads only what its job needs.
_EXPORTS = {
    "Acted": ".overview",
    "CallRecorded": ".calllog",
    "CallSheet": ".calllog",
    "Chosen": ".finding",
    "Context": "..context",
    "DEFAULT_DAYS": ".finding",
    "Delivered": "..integrations.targets",
    "Draft": "..drafts.compose",
    "DraftRequest": "..drafts.compose",
    "DraftResult": ".emails",
    "EmailChoice": "..calls",
    "InterviewRef": "..context",
    "Logged": "..integrations.state",
    "Outcome": "..outcome",
    "Overrides": "..model",
    "Plan": "..drafts.compose",
    "PlanResult": ".emails",
    "Reason": "..drafts.compose",
    "SavedProfile": ".profile",
    "Status": ".overview",
    "Suggestion": ".free_times",
    "TargetOptions": "..integrations.targets",
    "call_log": ".calllog",
    "call_sheet": ".calllog",
    "choose_interview": ".finding",
    "default_window": ".finding",
    "deliver": ".emails",
    "draft": ".emails",
    "event_references": ".finding",
    "load_context": ".context",
    "named_by": ".finding",
    "owner_zone": ".context",
    "plan": ".emails",
    "profile_details": ".profile",
    "record_call": ".calllog",
    "record_draft_made": ".calllog",
    "save_profile": ".profile",
    "scan": ".finding",
    "status": ".overview",
    "suggest_slots": ".free_times",
}

__all__ = [
    "DEFAULT_DAYS",
    "Acted",
    "CallRecorded",
    "CallSheet",
    "Chosen",
    "Context",
    "Delivered",
    "Draft",
    "DraftRequest",
    "DraftResult",
    "EmailChoice",
    "InterviewRef",
    "Logged",
    "Outcome",
    "Overrides",
    "Plan",
    "PlanResult",
    "Reason",
    "SavedProfile",
    "Status",
    "Suggestion",
    "TargetOptions",
    "call_log",
    "call_sheet",
    "choose_interview",
    "default_window",
    "deliver",
    "draft",
    "event_references",
    "load_context",
    "named_by",
    "owner_zone",
    "plan",
    "profile_details",
    "record_call",
    "record_draft_made",
    "save_profile",
    "scan",
    "status",
    "suggest_slots",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'callfirst.api' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
