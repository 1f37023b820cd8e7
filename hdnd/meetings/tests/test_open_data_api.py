"""The open-data API of meetings: what the public pages show, as JSON, for anyone; never
more (closed meetings, participants-only documents and how each delegate voted stay
out)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.accounts.tokens import create_api_token
from hdnd.councils.models import Membership
from hdnd.meetings.models import Meeting, MeetingStatus
from hdnd.meetings.services import documents as document_services
from hdnd.meetings.services.records import publish_resolution, record_resolution
from hdnd.meetings.tests.test_documents_services import add
from hdnd.voting.models import PollKind, PollSeal
from hdnd.voting.services import cast_ballot, close_poll, create_poll, open_poll


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _sealed_poll(session: Meeting, chair: User, voters: list[User]) -> int:
    poll = create_poll(
        meeting_id=session.pk, actor=chair, kind=PollKind.MOTION, title="Thông qua dự toán"
    )
    open_poll(poll_id=poll.pk, actor=chair)
    subject_id = poll.subjects.get().pk
    for voter in voters:
        cast_ballot(poll_id=poll.pk, user=voter, choices={subject_id: "yes"}, channel="web")
    close_poll(poll_id=poll.pk, actor=chair)
    return poll.pk


def test_anyone_reads_a_public_meeting_with_its_results_and_seals(
    session: Meeting,
    members: list[Membership],
    chair: User,
    city_staff: User,
    check_in: Callable[..., None],
    client: Client,
) -> None:
    # 6 of the 10 delegates in favour: more than half of all.
    voters = [User.objects.get(person=seat.person) for seat in members[:6]]
    check_in(*voters)
    poll_id = _sealed_poll(session, chair, voters)
    published = add(session, city_staff, title="Tờ trình dự toán 2027")
    document_services.publish_document(
        document_id=published.pk, expected_version=None, actor=city_staff
    )
    add(session, city_staff, title="Dự thảo nội bộ")
    pdf = SimpleUploadedFile("nq.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    resolution = record_resolution(
        meeting_id=session.pk,
        number="01/2027/NQ-HĐND",
        title="Dự toán ngân sách 2027",
        adopted_on=timezone.localdate(),
        poll_id=poll_id,
        file=pdf,
        actor=city_staff,
    )
    unpublished = record_resolution(
        meeting_id=session.pk,
        number="02/2027/NQ-HĐND",
        title="Chưa công bố",
        adopted_on=timezone.localdate(),
        actor=city_staff,
    )
    publish_resolution(resolution_id=resolution.pk, actor=city_staff)

    listing = client.get(f"/api/v1/open/councils/{session.council_id}/council-meetings/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [session.pk]
    assert listing.json()["results"][0]["url"].endswith(f"/public/meetings/{session.pk}/")

    body = client.get(f"/api/v1/open/council-meetings/{session.pk}/").json()
    assert body["title"] == session.title
    assert [row["title"] for row in body["documents"]] == ["Tờ trình dự toán 2027"]
    document = body["documents"][0]
    assert document["sha256"] == published.versions.get().sha256
    # The link is the public download, which serves the file to anyone.
    download = client.get(document["file_url"])
    assert download.status_code == 200
    assert [row["number"] for row in body["resolutions"]] == ["01/2027/NQ-HĐND"]
    assert unpublished.number not in str(body)
    assert body["resolutions"][0]["poll"] == poll_id
    assert client.get(body["resolutions"][0]["file_url"]).status_code == 200
    [poll] = body["polls"]
    assert poll["passed"] is True
    assert poll["total_members"] == 10
    assert poll["subjects"][0]["counts"] == {"yes": 6, "no": 0, "abstain": 0}
    seal = PollSeal.objects.get(poll_id=poll_id)
    assert poll["seal"]["hash"] == seal.hash
    assert poll["seal"]["prev_hash"] == seal.prev_hash
    # Counts only: no delegate's name or choice.
    for seat in members[:6]:
        assert seat.person.full_name not in str(body)


def test_a_token_of_any_scope_reads_it_too(
    session: Meeting, city_staff: User, client: Client
) -> None:
    _token, secret = create_api_token(
        council=session.council, name="Cổng dữ liệu", scopes=["directory:read"], actor=city_staff
    )
    response = client.get(
        f"/api/v1/open/council-meetings/{session.pk}/", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("change", ["closed", "cancelled"])
def test_closed_and_cancelled_meetings_are_not_found(
    session: Meeting, client: Client, change: str
) -> None:
    if change == "closed":
        Meeting.objects.filter(pk=session.pk).update(is_closed=True)
    else:
        Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.CANCELLED)
    response = client.get(f"/api/v1/open/council-meetings/{session.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    listing = client.get(f"/api/v1/open/councils/{session.council_id}/council-meetings/")
    assert listing.json()["results"] == []


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/open/council-meetings/not-a-number/", 404),
        ("/api/v1/open/council-meetings/99999999999999999999/", 404),
        ("/api/v1/open/councils/0/council-meetings/", 404),
        ("/api/v1/open/councils/{council}/council-meetings/?page=0", 400),
        ("/api/v1/open/councils/{council}/council-meetings/?page=9", 404),
    ],
)
def test_bad_addresses_get_the_error_shape(
    session: Meeting, client: Client, url: str, status: int
) -> None:
    response = client.get(url.format(council=session.council_id))
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_an_election_says_who_was_elected_publicly(
    session: Meeting,
    members: list[Membership],
    chair: User,
    check_in: Callable[..., None],
    client: Client,
) -> None:
    from hdnd.voting.services import SubjectSpec

    voters = [User.objects.get(person=seat.person) for seat in members[:7]]
    check_in(*voters)
    poll = create_poll(
        meeting_id=session.pk,
        actor=chair,
        kind=PollKind.ELECTION,
        title="Bầu Phó Chủ tịch HĐND",
        subjects=[SubjectSpec(label="Nguyễn Văn An"), SubjectSpec(label="Trần Thị Bình")],
    )
    open_poll(poll_id=poll.pk, actor=chair)
    first, second = poll.subjects.order_by("position").values_list("pk", flat=True)
    for voter in voters:
        cast_ballot(
            poll_id=poll.pk, user=voter, choices={first: "yes", second: "no"}, channel="web"
        )
    close_poll(poll_id=poll.pk, actor=chair)

    [line] = client.get(f"/api/v1/open/council-meetings/{session.pk}/").json()["polls"]
    assert [(one["label"], one["elected"]) for one in line["subjects"]] == [
        ("Nguyễn Văn An", True),
        ("Trần Thị Bình", False),
    ]
    page = client.get(f"/public/meetings/{session.pk}/").content.decode()
    assert "Trúng cử" in page and "Không trúng cử" in page
    assert "(70,00%)" in page  # 7 of the 10 delegates, as a share of all
