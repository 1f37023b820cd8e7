"""Polls: prepare, open, cast, close (with the sealed result), re-vote.

Every change runs in one transaction, checks who acts (the chair or the office run polls:
`access_meeting_run`; a ballot is the delegate's own), writes an audit event
("poll.<action>") and tells the room after commit (`announce(meeting_id, "poll")`).

The app's service interface, by topic: `polls` (prepare, change, delete, open; the pass
rule), `casting` (a ballot, and why it holds under load), `closing` (close and seal,
re-vote), `common` (the refusals, the audit event, who votes).
"""

from hdnd.voting.services.casting import CastResult, cast_ballot
from hdnd.voting.services.closing import close_poll, entitled_at_close, revote
from hdnd.voting.services.common import (
    AlreadyVoted,
    InvalidChoice,
    InvalidPoll,
    NotEntitled,
    NotPresent,
    PollNotOpen,
    present_person_ids,
    voting_participants,
)
from hdnd.voting.services.polls import (
    PassRule,
    SubjectSpec,
    create_poll,
    delete_poll,
    edit_poll,
    open_poll,
    rule_of,
)

__all__ = [
    "AlreadyVoted",
    "CastResult",
    "InvalidChoice",
    "InvalidPoll",
    "NotEntitled",
    "NotPresent",
    "PassRule",
    "PollNotOpen",
    "SubjectSpec",
    "cast_ballot",
    "close_poll",
    "create_poll",
    "delete_poll",
    "edit_poll",
    "entitled_at_close",
    "open_poll",
    "present_person_ids",
    "revote",
    "rule_of",
    "voting_participants",
]
