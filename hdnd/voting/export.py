"""A meeting's closed polls as open data: Popolo VoteEvents (JSON) and CSV.

One VoteEvent per motion; a confidence rating or an election gives one VoteEvent per
person rated or candidate. Counts are [{option, value}] with options "yes", "no",
"abstain" (tán thành, không tán thành, không biểu quyết) or, for a confidence rating,
"high", "confident", "low"; each carries its Vietnamese label. Votes (who voted how) are
listed for named polls only.
"""

import csv
import io
from typing import Any

from hdnd.meetings.models import Meeting
from hdnd.voting.models import Choice, Poll, PollKind, PollStatus
from hdnd.voting.queries import roll_call

CSV_COLUMNS = [
    "identifier",
    "poll_id",
    "title",
    "subject",
    "post",
    "kind",
    "secret",
    "start_date",
    "end_date",
    "result",
    "total_members",
    "required_votes",
    "voted",
    *[str(choice) for choice in Choice.values],
]


# The options' Vietnamese names, as the law words them: part of the open-data vocabulary,
# the same whatever the interface's language.
VIETNAMESE_LABELS: dict[str, str] = {
    Choice.YES: "Tán thành",
    Choice.NO: "Không tán thành",
    Choice.ABSTAIN: "Không biểu quyết",
    Choice.HIGH: "Tín nhiệm cao",
    Choice.CONFIDENT: "Tín nhiệm",
    Choice.LOW: "Tín nhiệm thấp",
}


def _labels() -> dict[str, str]:
    return {str(value): label for value, label in VIETNAMESE_LABELS.items()}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _outcome(poll: Poll, row: dict[str, Any]) -> str | None:
    if poll.kind == PollKind.CONFIDENCE:
        return None
    return "pass" if row.get("passed") else "fail"


def vote_events(meeting: Meeting) -> list[dict[str, Any]]:
    labels = _labels()
    events: list[dict[str, Any]] = []
    polls = Poll.objects.filter(meeting_id=meeting.pk, status=PollStatus.CLOSED).order_by("id")
    for poll in polls:
        result = poll.result or {"subjects": []}
        calls = roll_call(poll)
        several = poll.kind != PollKind.MOTION
        for row in result["subjects"]:
            identifier = f"poll-{poll.pk}" + (f"-{row['position']}" if several else "")
            event: dict[str, Any] = {
                "identifier": identifier,
                "poll_id": poll.pk,
                "organization_id": f"council-{meeting.council_id}",
                "legislative_session_id": f"meeting-{meeting.pk}",
                "motion": {
                    "text": poll.text or poll.title,
                    "title": poll.title,
                    "subject": row["label"] if several else None,
                    "post": row.get("post") or None,
                    "classification": poll.kind,
                },
                "start_date": _iso(poll.opened_at),
                "end_date": _iso(poll.closed_at),
                "secret": poll.is_secret,
                "result": _outcome(poll, row),
                "counts": [
                    {
                        "option": str(option),
                        "option_label": labels[option],
                        "value": row["counts"].get(option, 0),
                    }
                    for option in poll.choices
                ],
                "total_members": result.get("total_members"),
                "required_votes": result.get("required_votes"),
                "votes": [],
            }
            if poll.kind == PollKind.CONFIDENCE:
                event["low_over_half"] = row.get("low_over_half")
                event["low_two_thirds"] = row.get("low_two_thirds")
            if poll.kind == PollKind.ELECTION:
                event["elected"] = row.get("elected")
                event["tied_out"] = row.get("tied_out")
            for call in calls:
                choice = next(
                    (c["choice"] for c in call["choices"] if c["subject_id"] == row["subject_id"]),
                    "",
                )
                if choice:
                    event["votes"].append(
                        {
                            "voter_id": f"person-{call['person_id']}",
                            "voter_name": call["name"],
                            "option": choice,
                            "option_label": labels[choice],
                        }
                    )
            events.append(event)
    return events


def popolo(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": {
            "id": f"meeting-{meeting.pk}",
            "title": meeting.title,
            "start_date": meeting.starts_on.isoformat(),
            "end_date": meeting.ends_on.isoformat(),
            "organization_id": f"council-{meeting.council_id}",
        },
        "vote_events": vote_events(meeting),
    }


def votes_csv(meeting: Meeting) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in vote_events(meeting):
        counts = {count["option"]: count["value"] for count in event["counts"]}
        writer.writerow(
            [
                event["identifier"],
                event["poll_id"],
                event["motion"]["title"],
                event["motion"]["subject"] or "",
                event["motion"]["post"] or "",
                event["motion"]["classification"],
                "1" if event["secret"] else "0",
                event["start_date"] or "",
                event["end_date"] or "",
                event["result"] or "",
                event["total_members"],
                event["required_votes"],
                sum(counts.values()),
                *[counts.get(str(choice), "") for choice in Choice.values],
            ]
        )
    return out.getvalue()
