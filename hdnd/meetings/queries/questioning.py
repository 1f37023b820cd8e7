"""Reads of questioning (chất vấn): the topics with their questions, each question with
its follow-ups and debate, the question being answered now, and the summary the exports
print."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from hdnd.meetings.models import (
    Meeting,
    Participant,
    ParticipantRole,
    Question,
    QuestionStatus,
    QuestionTopic,
)
from hdnd.meetings.queries.public import PUBLIC_STATES

OPEN_STATUSES = frozenset({QuestionStatus.REGISTERED, QuestionStatus.ASKED})


@dataclass
class QuestionNode:
    question: Question
    follow_ups: list["QuestionNode"] = field(default_factory=list)


@dataclass
class TopicBlock:
    """A topic (None: questions outside any topic) and its questions, each with what
    follows it."""

    topic: QuestionTopic | None
    questions: list[QuestionNode]

    @property
    def count(self) -> int:
        def size(nodes: list[QuestionNode]) -> int:
            return sum(1 + size(node.follow_ups) for node in nodes)

        return size(self.questions)


def questions_of(meeting: Meeting) -> QuerySet[Question]:
    return (
        Question.objects.select_related("asker__person", "respondent__person", "topic", "follows")
        .filter(meeting_id=meeting.pk)
        .order_by("position", "id")
    )


def topics_of(meeting: Meeting) -> QuerySet[QuestionTopic]:
    return (
        QuestionTopic.objects.filter(meeting_id=meeting.pk)
        .prefetch_related(
            Prefetch("respondents", queryset=Participant.objects.select_related("person")),
            "petitions",
        )
        .order_by("position", "id")
    )


def topics_taking_up(petition_id: int) -> list[QuestionTopic]:
    """The questioning topics of public meetings (not closed, not cancelled) that take up
    this voter petition, for the petition's page: where it was put to the officials."""
    return list(
        QuestionTopic.objects.filter(
            petitions__id=petition_id,
            meeting__is_closed=False,
            meeting__status__in=PUBLIC_STATES,
        )
        .select_related("meeting")
        .order_by("meeting__starts_on", "position", "id")
    )


def respondents_of(meeting: Meeting) -> QuerySet[Participant]:
    return Participant.objects.select_related("person").filter(
        meeting_id=meeting.pk, role=ParticipantRole.RESPONDENT
    )


def questioning_blocks(meeting: Meeting) -> list[TopicBlock]:
    """Every topic in order with its questions; follow-ups and debate nest under the
    question they follow; questions without a topic come last."""
    questions = list(questions_of(meeting))
    children: dict[int, list[Question]] = defaultdict(list)
    roots: dict[int | None, list[Question]] = defaultdict(list)
    for question in questions:
        if question.follows_id is not None:
            children[question.follows_id].append(question)
        else:
            roots[question.topic_id].append(question)

    def node(question: Question) -> QuestionNode:
        return QuestionNode(question, [node(child) for child in children[question.pk]])

    blocks = [
        TopicBlock(topic, [node(question) for question in roots.get(topic.pk, [])])
        for topic in topics_of(meeting)
    ]
    if roots.get(None):
        blocks.append(TopicBlock(None, [node(question) for question in roots[None]]))
    return blocks


def asked_question(meeting: Meeting) -> Question | None:
    """The question being answered now (called, not yet answered)."""
    return questions_of(meeting).filter(status=QuestionStatus.ASKED).first()


def flat_rows(blocks: list[TopicBlock]) -> list[tuple[TopicBlock, int, Question]]:
    """Each question with its block and depth (0 for a question, 1+ for what follows),
    in reading order: what the exports print."""
    rows: list[tuple[TopicBlock, int, Question]] = []

    def walk(block: TopicBlock, nodes: list[QuestionNode], depth: int) -> None:
        for one in nodes:
            rows.append((block, depth, one.question))
            walk(block, one.follow_ups, depth + 1)

    for block in blocks:
        walk(block, block.questions, 0)
    return rows


def linkable_petitions(meeting: Meeting) -> list[tuple[int, str]]:
    """Voter petitions of the meeting's council flagged as questioning topics, as choices.
    The petitions app is imported here only (the link is optional)."""
    from hdnd.petitions.models import Petition

    petitions = Petition.objects.filter(
        council_id=meeting.council_id, is_questioning_topic=True
    ).order_by("id")
    return [(one.pk, str(one)) for one in petitions]
