"""Sealed results: each closed poll's canonical payload, hashed and chained per council.

The payload holds what the result rests on: the poll's settings, its subjects, the counts
(from the named votes or the secret tallies), who cast a ballot, each named vote (person
and choice), the entitled list frozen at close, and the frozen result. Its hash is
sha256(previous seal's hash of the same council + canonical JSON), so editing any stored
row, or removing or editing a seal, shows when `verify_council` rebuilds every payload
from the rows and walks the chain.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.voting.models import Poll, PollSeal, PollStatus, SealChainHead
from hdnd.voting.stored import named_votes, stored_counts, subjects_of, voter_ids

GENESIS_HASH = "0" * 64


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def seal_hash(payload: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(payload)}".encode()).hexdigest()


def build_payload(poll: Poll) -> dict[str, Any]:
    """The poll's payload, rebuilt from the stored rows and the poll's own fields."""
    subjects = subjects_of(poll)
    counts = stored_counts(poll, subjects)
    payload: dict[str, Any] = {
        "poll": poll.pk,
        "meeting": poll.meeting_id,
        "sitting": poll.sitting_id,
        "title": poll.title,
        "text": poll.text,
        "kind": poll.kind,
        "secret": poll.is_secret,
        "rule": {
            "numerator": poll.required_numerator,
            "denominator": poll.required_denominator,
            "strict": poll.required_strict,
        },
        "seats": poll.seats,
        "revote_of": poll.revote_of_id,
        "total_members": poll.total_members,
        "opened_at": _iso(poll.opened_at),
        "closed_at": _iso(poll.closed_at),
        "subjects": [
            {
                "id": subject.pk,
                "position": subject.position,
                "label": subject.label,
                "person_id": subject.person_id,
                "post": subject.post,
            }
            for subject in subjects
        ],
        "counts": {
            str(subject_id): dict(sorted(by_choice.items()))
            for subject_id, by_choice in sorted(counts.items())
        },
        "voters": voter_ids(poll),
        "votes": named_votes(poll),
        "entitled": poll.entitled,
        "result": poll.result,
        "passed": poll.passed,
    }
    # Through JSON and back: exactly what the database will return for the stored copy.
    loaded: dict[str, Any] = json.loads(canonical(payload))
    return loaded


def seal_poll(poll: Poll) -> PollSeal:
    """Seal a poll that was just closed, in the closing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("seal_poll must run inside the closing transaction")
    council_id = poll.meeting.council_id
    SealChainHead.objects.get_or_create(
        council_id=council_id, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )
    # Lock the head: the council's seals are appended one at a time, so the chain never forks.
    head = SealChainHead.objects.select_for_update().get(council_id=council_id)
    payload = build_payload(poll)
    seal = PollSeal.objects.create(
        poll=poll,
        council_id=council_id,
        seq=head.last_seq + 1,
        payload=payload,
        prev_hash=head.last_hash,
        hash=seal_hash(payload, head.last_hash),
        sealed_at=timezone.now(),
    )
    head.last_seq = seal.seq
    head.last_hash = seal.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return seal


# Verification.

# What a difference between the sealed payload and the rebuilt one means.
_PAYLOAD_PARTS: tuple[tuple[str, str], ...] = (
    ("counts", "counts_edited"),
    ("votes", "votes_edited"),
    ("voters", "ballots_changed"),
    ("entitled", "entitled_edited"),
    ("result", "result_edited"),
    ("passed", "result_edited"),
    ("subjects", "subjects_edited"),
)


@dataclass(frozen=True)
class SealProblem:
    council_id: int
    poll_id: int | None
    seq: int | None
    kind: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "council_id": self.council_id,
            "poll_id": self.poll_id,
            "seq": self.seq,
            "kind": self.kind,
            "detail": self.detail,
        }


@dataclass
class Verification:
    council_id: int
    checked: int
    problems: list[SealProblem]
    # poll id → its problems' kinds ([] = verified)
    by_poll: dict[int, list[str]]

    @property
    def ok(self) -> bool:
        return not self.problems


def _compare(seal: PollSeal, rebuilt: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, detail) for each part of the sealed payload the stored rows now contradict."""
    sealed = seal.payload
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, kind in _PAYLOAD_PARTS:
        if sealed.get(key) != rebuilt.get(key) and kind not in seen:
            seen.add(kind)
            found.append((kind, _describe(key, sealed.get(key), rebuilt.get(key))))
    other = sorted(
        key
        for key in set(sealed) | set(rebuilt)
        if key not in dict(_PAYLOAD_PARTS) and sealed.get(key) != rebuilt.get(key)
    )
    if other:
        found.append(
            ("poll_edited", _("Poll fields changed: %(fields)s") % {"fields": ", ".join(other)})
        )
    return found


def _describe(key: str, sealed: Any, now: Any) -> str:
    if key == "voters":
        missing = sorted(set(sealed or []) - set(now or []))
        added = sorted(set(now or []) - set(sealed or []))
        return _("Ballots deleted: %(missing)s; ballots added: %(added)s") % {
            "missing": missing or "—",
            "added": added or "—",
        }
    return _("%(part)s: sealed %(sealed)s, stored now %(now)s") % {
        "part": key,
        "sealed": canonical({"v": sealed})[5:-1],
        "now": canonical({"v": now})[5:-1],
    }


def verify_council(council_id: int) -> Verification:
    """Check every seal of one council: each payload against the stored rows, each hash,
    each link of the chain, the chain head, and that every closed poll has its seal."""
    problems: list[SealProblem] = []
    by_poll: dict[int, list[str]] = {}

    def problem(poll_id: int | None, seq: int | None, kind: str, detail: str) -> None:
        problems.append(SealProblem(council_id, poll_id, seq, kind, detail))
        if poll_id is not None:
            by_poll.setdefault(poll_id, []).append(kind)

    seals = list(
        PollSeal.objects.filter(council_id=council_id)
        .select_related("poll", "poll__meeting")
        .order_by("seq")
    )
    expected_seq = 1
    expected_prev = GENESIS_HASH
    for seal in seals:
        by_poll.setdefault(seal.poll_id, [])
        if seal.seq != expected_seq:
            problem(
                seal.poll_id,
                seal.seq,
                "seal_missing",
                _("Seals %(first)s to %(last)s are missing from the chain.")
                % {"first": expected_seq, "last": seal.seq - 1},
            )
        if seal.prev_hash != expected_prev:
            problem(
                seal.poll_id,
                seal.seq,
                "broken_link",
                _("This seal does not link to the previous seal of the council."),
            )
        if seal_hash(seal.payload, seal.prev_hash) != seal.hash:
            problem(
                seal.poll_id,
                seal.seq,
                "seal_edited",
                _("The sealed content does not match its hash."),
            )
        for kind, detail in _compare(seal, build_payload(seal.poll)):
            problem(seal.poll_id, seal.seq, kind, detail)
        expected_seq = seal.seq + 1
        expected_prev = seal.hash

    head = SealChainHead.objects.filter(council_id=council_id).first()
    last_seq = head.last_seq if head else 0
    last_hash = head.last_hash if head else GENESIS_HASH
    if last_seq != expected_seq - 1 or (last_seq and last_hash != expected_prev):
        problem(
            None,
            last_seq,
            "chain_truncated",
            _("The chain head expects seal %(seq)s, the last stored seal is %(last)s.")
            % {"seq": last_seq, "last": expected_seq - 1},
        )

    unsealed = Poll.objects.filter(
        meeting__council_id=council_id, status=PollStatus.CLOSED, seal__isnull=True
    ).values_list("id", flat=True)
    for poll_id in unsealed:
        problem(poll_id, None, "seal_missing", _("This closed poll has no seal."))
    return Verification(
        council_id=council_id, checked=len(seals), problems=problems, by_poll=by_poll
    )


def sealed_council_ids() -> list[int]:
    """Every council with a seal or a closed poll."""
    ids = set(PollSeal.objects.values_list("council_id", flat=True))
    ids |= set(
        Poll.objects.filter(status=PollStatus.CLOSED).values_list("meeting__council_id", flat=True)
    )
    return sorted(ids)


def verify_poll(poll: Poll) -> list[str]:
    """The problem kinds of one poll's seal ([] when it checks out): its payload against
    the stored rows, its hash, and its link to the seal before it in the council's chain.
    A few queries, whatever the chain's length: the whole chain (missing seals, the
    chain head) is `verify_council`'s, run by `verify_polls` and the verification page."""
    seal = PollSeal.objects.filter(poll_id=poll.pk).first()
    if seal is None:
        return ["seal_missing"] if poll.status == PollStatus.CLOSED else []
    kinds: list[str] = []
    if seal.seq == 1:
        previous_hash: str | None = GENESIS_HASH
    else:
        previous_hash = (
            PollSeal.objects.filter(council_id=seal.council_id, seq=seal.seq - 1)
            .values_list("hash", flat=True)
            .first()
        )
    if previous_hash is None:
        kinds.append("seal_missing")
    elif seal.prev_hash != previous_hash:
        kinds.append("broken_link")
    if seal_hash(seal.payload, seal.prev_hash) != seal.hash:
        kinds.append("seal_edited")
    kinds.extend(kind for kind, _detail in _compare(seal, build_payload(poll)))
    return kinds
