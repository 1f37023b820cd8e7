"""The voting pages: the console and ballot panels (alone through htmx), casting by a
plain POST, the result page with its seal, the list, the export and the verify page."""

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.meetings.models import Meeting
from hdnd.voting import services
from hdnd.voting.models import Ballot, Poll, PollKind, PollStatus, SecretTally

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def as_user(login: Callable[[Client, User], Client]) -> Callable[[User], Client]:
    return lambda user: login(Client(headers={"Accept-Language": "en"}), user)


def test_the_chair_prepares_opens_and_closes_from_the_console(
    session: Meeting,
    chair: User,
    delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
) -> None:
    check_in(delegate)
    client = as_user(chair)
    panel = client.get(reverse("voting:panel_console", args=[session.pk]), headers=HTMX)
    assert panel.status_code == 200
    assert b"voting-console" in panel.content
    created = client.post(
        reverse("voting:create", args=[session.pk]),
        {"kind": "motion", "title": "Thông qua nghị quyết", "rule": "majority", "seats": "1"},
        headers=HTMX,
    )
    assert created.status_code == 200
    poll = Poll.objects.get()
    assert "Thông qua nghị quyết" in created.content.decode()
    opened = client.post(reverse("voting:open", args=[poll.pk]), headers=HTMX)
    assert opened.status_code == 200
    assert Poll.objects.get().status == PollStatus.OPEN
    page = opened.content.decode()
    waiting = page[page.index("Chưa biểu quyết") : page.index("Kết thúc biểu quyết")]
    assert str(delegate.person) in waiting
    closed = client.post(reverse("voting:close", args=[poll.pk]), headers=HTMX)
    assert closed.status_code == 200
    assert Poll.objects.get().status == PollStatus.CLOSED


def test_the_console_warns_before_a_vote_without_the_quorum(
    session: Meeting,
    members: list[Any],
    chair: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
) -> None:
    services.create_poll(
        meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title="Thông qua nghị quyết"
    )
    client = as_user(chair)
    url = reverse("voting:panel_console", args=[session.pk])
    # 10 delegates at two-thirds: 7 needed.
    check_in(*[User.objects.get(person=seat.person) for seat in members[:6]])
    assert "6/10 đại biểu có mặt, cần 7" in client.get(url).content.decode()
    check_in(User.objects.get(person=members[6].person))
    assert "Chưa đủ số đại biểu tối thiểu" not in client.get(url).content.decode()


def test_a_refused_console_action_is_shown_in_the_panel(
    session: Meeting, chair: User, as_user: Callable[[User], Client], new_poll: Callable[..., Poll]
) -> None:
    poll = new_poll()
    response = as_user(chair).post(reverse("voting:close", args=[poll.pk]), headers=HTMX)
    assert response.status_code == 200
    assert b"message--error" in response.content


def test_a_bad_form_comes_back_with_its_errors(
    session: Meeting, chair: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(chair).post(
        reverse("voting:create", args=[session.pk]),
        {"kind": "election", "title": "Bầu", "rule": "majority", "seats": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert b"field-error" in response.content or b"message--error" in response.content
    assert not Poll.objects.exists()


def test_a_delegate_votes_with_big_buttons_and_sees_the_time(
    session: Meeting,
    delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
    open_poll: Callable[..., Poll],
) -> None:
    poll = open_poll()
    check_in(delegate)
    client = as_user(delegate)
    panel = client.get(reverse("voting:panel_ballot", args=[session.pk]), headers=HTMX)
    subject = poll.subjects.get()
    assert f'name="choice_{subject.pk}" value="yes"'.encode() in panel.content
    response = client.post(
        reverse("voting:cast", args=[poll.pk]), {f"choice_{subject.pk}": "yes"}, headers=HTMX
    )
    assert response.status_code == 200
    ballot = Ballot.objects.get()
    assert "Lựa chọn của bạn đã được ghi nhận lúc".encode() in response.content
    assert timezone.localtime(ballot.cast_at).strftime("%H:%M:%S").encode() in response.content
    # Without htmx: a redirect back, the double submission counted once.
    plain = client.post(reverse("voting:cast", args=[poll.pk]), {f"choice_{subject.pk}": "yes"})
    assert plain.status_code == 302
    assert Ballot.objects.count() == 1


def test_a_late_ballot_is_refused_in_the_panel(
    session: Meeting,
    delegate: User,
    chair: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
    open_poll: Callable[..., Poll],
) -> None:
    poll = open_poll()
    check_in(delegate)
    services.close_poll(poll_id=poll.pk, actor=chair)
    subject = poll.subjects.get()
    response = as_user(delegate).post(
        reverse("voting:cast", args=[poll.pk]), {f"choice_{subject.pk}": "yes"}, headers=HTMX
    )
    assert "lựa chọn của bạn không được ghi nhận".encode() in response.content
    assert not Ballot.objects.exists()


def test_the_confidence_ballot_has_a_row_per_person(
    session: Meeting,
    delegate: User,
    other_delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
    open_poll: Callable[..., Poll],
) -> None:
    rated = [
        services.SubjectSpec(person_id=delegate.person_id, post="Phó Chủ tịch"),
        services.SubjectSpec(person_id=other_delegate.person_id, post="Trưởng ban"),
    ]
    poll = open_poll(kind=PollKind.CONFIDENCE, title="Tín nhiệm", subjects=rated)
    check_in(delegate)
    client = as_user(delegate)
    panel = client.get(reverse("voting:panel_ballot", args=[session.pk])).content.decode()
    assert panel.count("vote-row") == 2
    choices = {f"choice_{s.pk}": "low" for s in poll.subjects.all()}
    client.post(reverse("voting:cast", args=[poll.pk]), choices, headers=HTMX)
    assert SecretTally.objects.filter(poll=poll, choice="low", count=1).count() == 2


@pytest.mark.parametrize("persona", ["delegate", "guest"])
def test_only_the_chair_or_office_see_the_console(
    request: pytest.FixtureRequest,
    session: Meeting,
    persona: str,
    as_user: Callable[[User], Client],
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("voting:panel_console", args=[session.pk])).status_code == 403


def test_an_outsider_sees_nothing(
    session: Meeting,
    outsider: User,
    as_user: Callable[[User], Client],
    open_poll: Callable[..., Poll],
) -> None:
    poll = open_poll()
    client = as_user(outsider)
    for url in [
        reverse("voting:panel_ballot", args=[session.pk]),
        reverse("voting:meeting_polls", args=[session.pk]),
        reverse("voting:result", args=[poll.pk]),
        reverse("voting:export_json", args=[session.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("voting:close", args=[poll.pk])).status_code == 404
    assert client.get(reverse("voting:verify", args=[session.council_id])).status_code == 403


def _closed_named_poll(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
) -> Poll:
    poll = open_poll()
    check_in(*voters[:7])
    for index, user in enumerate(voters[:7]):
        cast(poll, user, "yes" if index < 6 else "no")
    return services.close_poll(poll_id=poll.pk, actor=chair)


def test_the_result_page_shows_roll_call_and_seal(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
    as_user: Callable[[User], Client],
) -> None:
    poll = _closed_named_poll(open_poll, voters, check_in, cast, chair)
    page = as_user(voters[5]).get(reverse("voting:result", args=[poll.pk])).content.decode()
    assert poll.seal.hash in page
    assert "seal-ok" in page
    assert "60,00%" in page  # Vietnamese decimals
    assert str(voters[3].person) in page  # the roll call
    Poll.objects.filter(pk=poll.pk).update(passed=False)
    tampered = as_user(chair).get(reverse("voting:result", args=[poll.pk])).content.decode()
    assert "seal-bad" in tampered


def test_the_verify_page_for_the_councils_readers(
    session: Meeting,
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
    city_staff: User,
    delegate: User,
    outsider: User,
    as_user: Callable[[User], Client],
) -> None:
    poll = _closed_named_poll(open_poll, voters, check_in, cast, chair)
    url = reverse("voting:verify", args=[session.council_id])
    assert b"seal-ok" in as_user(city_staff).get(url).content
    assert b"seal-ok" in as_user(chair).get(url).content
    # Any delegate of the council checks the results it voted on; another council's not.
    assert b"seal-ok" in as_user(delegate).get(url).content
    assert as_user(outsider).get(url).status_code == 403
    Poll.objects.filter(pk=poll.pk).update(entitled=[])
    assert b"entitled_edited" in as_user(city_staff).get(url).content


def test_the_popolo_export_has_vote_events_counts_and_named_votes(
    session: Meeting,
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
    as_user: Callable[[User], Client],
) -> None:
    named = _closed_named_poll(open_poll, voters, check_in, cast, chair)
    candidates = [
        services.SubjectSpec(label="Ứng viên A"),
        services.SubjectSpec(label="Ứng viên B"),
    ]
    election = open_poll(kind=PollKind.ELECTION, title="Bầu", subjects=candidates)
    for user in voters[:7]:
        cast(election, user, {1: "yes", 2: "no"})
    services.close_poll(poll_id=election.pk, actor=chair)

    response = as_user(chair).get(reverse("voting:export_json", args=[session.pk]))
    data = json.loads(response.content)
    events = data["vote_events"]
    assert [event["identifier"] for event in events] == [
        f"poll-{named.pk}",
        f"poll-{election.pk}-1",
        f"poll-{election.pk}-2",
    ]
    motion = events[0]
    assert motion["result"] == "pass"
    assert motion["motion"]["text"] == named.title
    assert motion["start_date"] and motion["end_date"]
    assert {"option": "yes", "option_label": "Tán thành", "value": 6} in motion["counts"]
    assert len(motion["votes"]) == 7
    assert set(motion["votes"][0]) == {"voter_id", "voter_name", "option", "option_label"}
    assert events[1]["result"] == "pass" and events[1]["elected"] is True
    assert events[2]["result"] == "fail"
    assert events[1]["votes"] == []  # a secret election names no voter

    rows = list(
        csv.reader(
            io.StringIO(
                as_user(chair)
                .get(reverse("voting:export_csv", args=[session.pk]))
                .content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][0] == "identifier"
    assert len(rows) == 4
    assert rows[1][rows[0].index("yes")] == "6"


def test_the_poll_form_folds_what_a_motion_does_not_need(
    session: Meeting, chair: User, as_user: Callable[[User], Client]
) -> None:
    client = as_user(chair)
    panel = client.get(reverse("voting:panel_console", args=[session.pk]), headers=HTMX)
    page = panel.content.decode()
    folded = page[page.index("<details>", page.index('name="title"')) :]
    for name in ("numerator", "denominator", "strict", "people", "candidates", "seats"):
        assert f'name="{name}"' in folded
    # An election refused for its candidates opens the part that holds them.
    refused = client.post(
        reverse("voting:create", args=[session.pk]),
        {"kind": "election", "title": "Bầu Phó Chủ tịch", "rule": "majority", "seats": "1"},
        headers=HTMX,
    ).content.decode()
    start = refused.index('name="people"')
    holder = refused[refused.rindex("<details", 0, start) : start]
    assert holder.startswith("<details open>")
    share = refused[refused.rindex("<details", 0, refused.index('name="numerator"')) :]
    assert share.startswith("<details>")


def test_a_confidence_result_speaks_of_ratings_not_of_votes_in_favour(
    open_poll: Callable[..., Poll],
    voters: list[User],
    check_in: Callable[..., None],
    cast: Callable[..., Any],
    chair: User,
    as_user: Callable[[User], Client],
) -> None:
    rated = [services.SubjectSpec(person_id=voters[0].person_id, post="Phó Chủ tịch UBND")]
    poll = open_poll(kind=PollKind.CONFIDENCE, title="Lấy phiếu tín nhiệm", subjects=rated)
    check_in(*voters)
    for index, user in enumerate(voters):
        cast(poll, user, {1: "low" if index < 6 else "high"})
    services.close_poll(poll_id=poll.pk, actor=chair)
    page = as_user(chair).get(reverse("voting:result", args=[poll.pk])).content.decode()
    # 10 delegates: low from 6 (more than half) is flagged; two-thirds would be 7.
    assert "Quá nửa tổng số đại biểu đánh giá tín nhiệm thấp" in page
    assert "(6 đại biểu trở lên)" in page and "(7 đại biểu trở lên)" in page
    assert "phiếu tán thành" not in page
    assert "Đã ghi nhận kết quả lấy phiếu." in page


def test_a_delegate_sees_their_own_choice_when_they_may_change_it(
    session: Meeting,
    delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
    open_poll: Callable[..., Poll],
) -> None:
    poll = open_poll(allow_change=True)
    check_in(delegate)
    client = as_user(delegate)
    subject = poll.subjects.get()
    panel = client.post(
        reverse("voting:cast", args=[poll.pk]), {f"choice_{subject.pk}": "no"}, headers=HTMX
    ).content.decode()
    pressed = panel[panel.index('value="no"') : panel.index("</button>", panel.index('value="no"'))]
    assert 'aria-pressed="true"' in pressed
    other = panel[panel.index('value="yes"') : panel.index("</button>", panel.index('value="yes"'))]
    assert 'aria-pressed="false"' in other


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Nguyễn Văn An — Giám đốc Sở Tài chính", ("Nguyễn Văn An", "Giám đốc Sở Tài chính")),
        ("Phạm Văn C - Ủy viên UBND", ("Phạm Văn C", "Ủy viên UBND")),
        ("Trần Thị Bình – Phó Chủ tịch", ("Trần Thị Bình", "Phó Chủ tịch")),
        ("  Lê Văn Dũng  ", ("Lê Văn Dũng", "")),
        ("Hoàng Thị Lê-Na — Ủy viên", ("Hoàng Thị Lê-Na", "Ủy viên")),
    ],
)
def test_a_candidate_line_splits_at_any_dash(line: str, expected: tuple[str, str]) -> None:
    from hdnd.voting.forms import split_candidate

    assert split_candidate(line) == expected


def test_a_ballot_waiting_for_its_delegate_follows_attendance(
    session: Meeting,
    delegate: User,
    check_in: Callable[..., None],
    as_user: Callable[[User], Client],
    open_poll: Callable[..., Poll],
) -> None:
    open_poll()
    client = as_user(delegate)
    url = reverse("voting:panel_ballot", args=[session.pk])
    # Not present: the office may check them in, so attendance changes refresh the ballot.
    assert "meeting:attendance from:body" in client.get(url, headers=HTMX).content.decode()
    check_in(delegate)
    assert "meeting:attendance from:body" not in client.get(url, headers=HTMX).content.decode()
