"""Questioning (chất vấn): topics with their respondents, questions registered in advance
or on the spot, follow-ups (tái chất vấn) and debate, and the chair calling each one and
recording the answer.

| action          | who                                         | from       | to         |
|-----------------|---------------------------------------------|------------|------------|
| add/edit topic  | the chair or the office                     | —          | —          |
| register        | a delegate or the chair for themselves; the office for a delegate | — | registered |
| move            | the chair or the office                     | registered | registered |
| call            | the chair or the office (one at a time)     | registered | asked      |
| record answer   | the chair or the office                     | asked      | answered   |
| withdraw        | the asker, or the chair / the office        | registered | withdrawn  |

A follow-up or a debate names the question it follows; a question never does. Invited
guests and respondents never register questions.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.errors import DomainError, NotFound, PermissionDenied
from hdnd.core.versions import check_version, save_versioned
from hdnd.meetings.access import can_run, participant_of, require_run
from hdnd.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantRole,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionTopic,
)
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record
from hdnd.meetings.services.speaking import CLOSED_STATUSES, Move

TITLE_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 20000


def _require_open_meeting(meeting: Meeting) -> None:
    if meeting.status in CLOSED_STATUSES:
        raise NotAllowedNow(_("This meeting has ended: questioning is closed."))


def _text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        message = _("This field is required.")
        raise DomainError(message, fields={field: [message]})
    if len(value) > max_length:
        message = _("Keep this to %(count)s characters or fewer.") % {"count": max_length}
        raise DomainError(message, fields={field: [message]})
    return value


def _respondents(meeting: Meeting, ids: Sequence[int]) -> list[Participant]:
    wanted = list(dict.fromkeys(ids))
    found = list(
        Participant.objects.filter(
            meeting_id=meeting.pk, role=ParticipantRole.RESPONDENT, id__in=wanted
        )
    )
    if len(found) != len(wanted):
        message = _("Choose respondents among the officials invited to answer at this meeting.")
        raise DomainError(message, fields={"respondents": [message]})
    return found


def _petitions(meeting: Meeting, ids: Sequence[int]) -> list[Any]:
    """Voter petitions of the meeting's council flagged as questioning topics. The
    petitions app is imported here only: the rest of questioning works without it."""
    if not ids:
        return []
    from hdnd.petitions.models import Petition

    wanted = list(dict.fromkeys(ids))
    found = list(
        Petition.objects.filter(
            council_id=meeting.council_id, is_questioning_topic=True, id__in=wanted
        )
    )
    if len(found) != len(wanted):
        message = _("Link only voter petitions of this council flagged as questioning topics.")
        raise DomainError(message, fields={"petitions": [message]})
    return found


def _agenda_item(meeting: Meeting, agenda_item_id: int | None) -> AgendaItem | None:
    if agenda_item_id is None:
        return None
    item = AgendaItem.objects.filter(meeting_id=meeting.pk, id=agenda_item_id).first()
    if item is None:
        message = _("This agenda item does not exist.")
        raise DomainError(message, fields={"agenda_item": [message]})
    return item


# Topics.


def add_topic(
    *,
    meeting_id: int,
    actor: Any,
    title: str,
    respondent_ids: Sequence[int] = (),
    petition_ids: Sequence[int] = (),
    agenda_item_id: int | None = None,
) -> QuestionTopic:
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require_run(actor, meeting)
        _require_open_meeting(meeting)
        title = _text(title, field="title", max_length=TITLE_MAX_LENGTH)
        respondents = _respondents(meeting, respondent_ids)
        petitions = _petitions(meeting, petition_ids)
        last = QuestionTopic.objects.filter(meeting_id=meeting.pk).aggregate(last=Max("position"))
        topic = QuestionTopic.objects.create(
            meeting=meeting,
            title=title,
            position=(last["last"] or 0) + 1,
            agenda_item=_agenda_item(meeting, agenda_item_id),
        )
        topic.respondents.set(respondents)
        topic.petitions.set(petitions)
        record(
            meeting,
            actor=actor,
            action="questioning.topic.add",
            obj=topic,
            summary=title,
            changes={
                "respondents": [one.pk for one in respondents],
                "petitions": [one.pk for one in petitions],
            },
        )
        announce(meeting.pk, "questions")
        return topic


def edit_topic(
    *,
    topic_id: int,
    actor: Any,
    title: str,
    respondent_ids: Sequence[int],
    petition_ids: Sequence[int],
) -> QuestionTopic:
    """Replace the topic's title, respondents and linked petitions (all given: a list left
    out would otherwise silently unlink them)."""
    meeting_id = QuestionTopic.objects.filter(id=topic_id).values_list("meeting_id", flat=True)
    with transaction.atomic():
        found = meeting_id.first()
        if found is None:
            raise NotFound(_("This questioning topic does not exist."))
        meeting = lock_meeting(found)
        require_run(actor, meeting)
        _require_open_meeting(meeting)
        topic = QuestionTopic.objects.get(id=topic_id)
        topic.title = _text(title, field="title", max_length=TITLE_MAX_LENGTH)
        respondents = _respondents(meeting, respondent_ids)
        petitions = _petitions(meeting, petition_ids)
        topic.save(update_fields=["title"])
        topic.respondents.set(respondents)
        topic.petitions.set(petitions)
        record(
            meeting,
            actor=actor,
            action="questioning.topic.edit",
            obj=topic,
            summary=topic.title,
            changes={
                "respondents": [one.pk for one in respondents],
                "petitions": [one.pk for one in petitions],
            },
        )
        announce(meeting.pk, "questions")
        return topic


# Questions.


def _asker(meeting: Meeting, actor: Any, asker_id: int | None) -> Participant:
    """Who asks: the actor themselves, or (for the office or the chair) the delegate
    named. Guests and respondents never ask."""
    own = participant_of(actor, meeting)
    if asker_id is None or (own is not None and own.pk == asker_id):
        if own is None:
            raise PermissionDenied(_("Only the meeting's delegates register questions."))
        asker = own
    else:
        if not can_run(actor, meeting):
            raise PermissionDenied(_("Only the office registers questions for a delegate."))
        found = (
            Participant.objects.select_related("person")
            .filter(meeting_id=meeting.pk, id=asker_id)
            .first()
        )
        if found is None:
            message = _("This person does not take part in the meeting.")
            raise DomainError(message, fields={"asker": [message]})
        asker = found
    if asker.role not in VOTING_ROLES:
        raise PermissionDenied(
            _("Invited guests and officials cannot register questions: only delegates ask.")
        )
    return asker


def register_question(
    *,
    meeting_id: int,
    actor: Any,
    text: str,
    respondent_id: int | None = None,
    topic_id: int | None = None,
    kind: str = QuestionKind.QUESTION,
    follows_id: int | None = None,
    asker_id: int | None = None,
) -> Question:
    """A question to a named respondent; or a follow-up / debate on the question it
    follows (same topic; by default the same respondent). Registered during the meeting
    (in progress) counts as registered live."""
    if kind not in QuestionKind.values:
        message = _("Choose a question, a follow-up or a debate.")
        raise DomainError(message, fields={"kind": [message]})
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        _require_open_meeting(meeting)
        asker = _asker(meeting, actor, asker_id)
        text = _text(text, field="text", max_length=TEXT_MAX_LENGTH)
        parent = None
        if kind == QuestionKind.QUESTION:
            if follows_id is not None:
                message = _("A new question follows no other: choose a follow-up or a debate.")
                raise DomainError(message, fields={"follows": [message]})
        else:
            if follows_id is None:
                message = _("A follow-up or a debate must name the question it follows.")
                raise DomainError(message, fields={"follows": [message]})
            parent = (
                Question.objects.select_related("topic")
                .filter(meeting_id=meeting.pk, id=follows_id)
                .first()
            )
            if parent is None:
                message = _("The question followed up does not exist in this meeting.")
                raise DomainError(message, fields={"follows": [message]})
            if parent.status not in (QuestionStatus.ASKED, QuestionStatus.ANSWERED):
                raise NotAllowedNow(_("Follow up on a question only once it has been asked."))
        topic = _topic_for(meeting, topic_id, parent)
        respondent = _respondent_for(meeting, respondent_id, topic, parent)
        last = Question.objects.filter(meeting_id=meeting.pk).aggregate(last=Max("position"))
        question = Question.objects.create(
            meeting=meeting,
            topic=topic,
            kind=kind,
            follows=parent,
            asker=asker,
            respondent=respondent,
            text=text,
            registered_live=meeting.status == MeetingStatus.IN_PROGRESS,
            position=(last["last"] or 0) + 1,
        )
        record(
            meeting,
            actor=actor,
            action="questioning.register",
            obj=question,
            summary=f"{asker.person} → {respondent.person}",
            changes={
                "kind": kind,
                "follows": parent.pk if parent else None,
                "live": question.registered_live,
            },
        )
        announce(meeting.pk, "questions")
        return question


def _topic_for(
    meeting: Meeting, topic_id: int | None, parent: Question | None
) -> QuestionTopic | None:
    if topic_id is None:
        return parent.topic if parent is not None else None
    topic = QuestionTopic.objects.filter(meeting_id=meeting.pk, id=topic_id).first()
    if topic is None:
        message = _("This questioning topic does not exist.")
        raise DomainError(message, fields={"topic": [message]})
    return topic


def _respondent_for(
    meeting: Meeting,
    respondent_id: int | None,
    topic: QuestionTopic | None,
    parent: Question | None,
) -> Participant:
    if respondent_id is None:
        if parent is not None:
            return parent.respondent
        message = _("Name the official the question is addressed to.")
        raise DomainError(message, fields={"respondent": [message]})
    respondent = (
        Participant.objects.select_related("person")
        .filter(meeting_id=meeting.pk, id=respondent_id, role=ParticipantRole.RESPONDENT)
        .first()
    )
    if respondent is None:
        message = _("Address the question to an official invited to answer at this meeting.")
        raise DomainError(message, fields={"respondent": [message]})
    if topic is not None:
        answering = set(topic.respondents.values_list("id", flat=True))
        if answering and respondent.pk not in answering:
            message = _("This official does not answer on this topic.")
            raise DomainError(message, fields={"respondent": [message]})
    return respondent


def _lock_question(question_id: int, expected_version: int | None) -> tuple[Meeting, Question]:
    found = Question.objects.filter(id=question_id).values_list("meeting_id", flat=True).first()
    if found is None:
        raise NotFound(_("This question does not exist."))
    meeting = lock_meeting(found)
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("asker__person", "respondent__person")
        .get(id=question_id)
    )
    check_version(question.version, expected_version)
    return meeting, question


def _require_status(question: Question, *allowed: QuestionStatus) -> None:
    if question.status not in allowed:
        raise NotAllowedNow(
            _("This question is now “%(status)s”: reload the list.")
            % {"status": question.get_status_display()}
        )


def move_question(
    *, question_id: int, actor: Any, move: str, expected_version: int | None = None
) -> Question:
    """The chair orders the registered questions: one place up or down, or to the top."""
    if move not in {one.value for one in Move}:
        raise DomainError(_("Move up, down or to the top."), fields={"move": []})
    with transaction.atomic():
        meeting, question = _lock_question(question_id, expected_version)
        require_run(actor, meeting)
        _require_status(question, QuestionStatus.REGISTERED)
        queue = list(
            Question.objects.select_for_update()
            .filter(meeting_id=meeting.pk, status=QuestionStatus.REGISTERED)
            .order_by("position", "id")
        )
        index = next(i for i, one in enumerate(queue) if one.pk == question.pk)
        moved = queue.pop(index)
        if move == Move.TOP:
            target = 0
        elif move == Move.UP:
            target = max(index - 1, 0)
        else:
            target = min(index + 1, len(queue))
        queue.insert(target, moved)
        # Registered questions take the places after every called one.
        start = (
            Question.objects.filter(meeting_id=meeting.pk)
            .exclude(status=QuestionStatus.REGISTERED)
            .aggregate(last=Max("position"))["last"]
            or 0
        )
        for position, one in enumerate(queue, start=start + 1):
            if one.position != position:
                one.position = position
                save_versioned(one, ["position"])
        record(
            meeting,
            actor=actor,
            action="questioning.move",
            obj=moved,
            summary=str(moved),
            changes={"move": move, "from": index + 1, "to": target + 1},
        )
        announce(meeting.pk, "questions")
        return moved


def call_question(*, question_id: int, actor: Any, expected_version: int | None = None) -> Question:
    """The chair calls the question: its asker speaks, the clock of the answer starts.
    One question runs at a time."""
    with transaction.atomic():
        meeting, question = _lock_question(question_id, expected_version)
        require_run(actor, meeting)
        _require_open_meeting(meeting)
        _require_status(question, QuestionStatus.REGISTERED)
        running = (
            Question.objects.select_related("asker__person")
            .filter(meeting_id=meeting.pk, status=QuestionStatus.ASKED)
            .first()
        )
        if running is not None:
            raise NotAllowedNow(
                _("Record the answer to %(name)s's question before calling the next one.")
                % {"name": running.asker.person}
            )
        question.status = QuestionStatus.ASKED
        question.asked_at = timezone.now()
        save_versioned(question, ["status", "asked_at"])
        record(meeting, actor=actor, action="questioning.call", obj=question, summary=str(question))
        announce(meeting.pk, "questions")
        return question


def record_answer(
    *, question_id: int, actor: Any, answer: str = "", expected_version: int | None = None
) -> Question:
    """The respondent has answered: the time taken counts from the call."""
    with transaction.atomic():
        meeting, question = _lock_question(question_id, expected_version)
        require_run(actor, meeting)
        _require_status(question, QuestionStatus.ASKED)
        question.answer = _text(
            answer, field="answer", max_length=ANSWER_MAX_LENGTH, required=False
        )
        question.status = QuestionStatus.ANSWERED
        question.answered_at = timezone.now()
        if question.asked_at is not None:
            elapsed = (question.answered_at - question.asked_at).total_seconds()
            question.answer_seconds = max(int(elapsed), 0)
        save_versioned(question, ["answer", "status", "answered_at", "answer_seconds"])
        record(
            meeting,
            actor=actor,
            action="questioning.answer",
            obj=question,
            summary=str(question),
            changes={"answer_seconds": question.answer_seconds},
        )
        announce(meeting.pk, "questions")
        return question


def withdraw_question(
    *, question_id: int, actor: Any, expected_version: int | None = None
) -> Question:
    with transaction.atomic():
        meeting, question = _lock_question(question_id, expected_version)
        own = participant_of(actor, meeting)
        if (own is None or own.pk != question.asker_id) and not can_run(actor, meeting):
            raise PermissionDenied(_("Only the asker or the chair may withdraw a question."))
        _require_status(question, QuestionStatus.REGISTERED)
        question.status = QuestionStatus.WITHDRAWN
        save_versioned(question, ["status"])
        record(
            meeting, actor=actor, action="questioning.withdraw", obj=question, summary=str(question)
        )
        announce(meeting.pk, "questions")
        return question
