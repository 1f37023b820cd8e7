"""The demo accounts: one per role, a shared published password, fixed TOTP keys."""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import SECOND_FACTOR_ROLES, Role, RoleAssignment, User
from hdnd.councils.demo.city import CityRefs
from hdnd.councils.demo.data import (
    AGENCY_RESPONDER_AGENCY,
    CITY_TERM_XVII,
    COMMITTEE_MEMBER_COMMITTEE,
    DEMO_EMAIL_DOMAIN,
    HOAN_KIEM_UNIT_CODE,
)
from hdnd.councils.demo.run import DemoRun
from hdnd.councils.models import Council, Gender

# Published on purpose: the demo is meant to be opened by anyone who runs it.
DEMO_PASSWORD = "hdnd-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role


# One account per role. Where each one works is decided in `create_accounts`.
DEMO_ACCOUNTS = (
    DemoAccount("vanphong", Role.OFFICE_STAFF),
    DemoAccount("thuongtruc", Role.STANDING_COMMITTEE),
    DemoAccount("ban_dothi", Role.COMMITTEE_MEMBER),
    DemoAccount("daibieu", Role.DELEGATE),
    DemoAccount("so_xaydung", Role.AGENCY_RESPONDER),
    DemoAccount("phuong_hoankiem", Role.COMMUNE_OFFICER),
    DemoAccount("baucu", Role.ELECTION_OFFICER),
    DemoAccount("quantri", Role.SYSTEM_ADMIN),
)
SUPERUSER_ROLES = {Role.SYSTEM_ADMIN}


def demo_totp_key(username: str) -> str:
    """A fixed key per demo account, so the secret printed by demo_logins stays valid."""
    seed = f"hdnd-demo:{username}".encode()
    return hashlib.sha1(seed, usedforsecurity=False).hexdigest()


def create_accounts(demo: DemoRun, refs: CityRefs) -> None:
    hoan_kiem = Council.objects.get(
        unit__code=HOAN_KIEM_UNIT_CODE, unit__valid_until__isnull=True, parent=demo.city
    )
    linked_people = {
        Role.STANDING_COMMITTEE: refs.vice_chair,
        Role.DELEGATE: refs.delegate,
        Role.COMMITTEE_MEMBER: refs.committee_member,
    }
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of creating users
    users = []
    for account in DEMO_ACCOUNTS:
        person = linked_people.get(account.role)
        gender = demo.rng.choice([Gender.FEMALE, Gender.MALE])
        family, middle, given = (
            person.full_name.split(" ", 2) if person else demo.people.name(gender)
        )
        users.append(
            User(
                username=account.username,
                email=f"{account.username}@{DEMO_EMAIL_DOMAIN}",
                first_name=given,
                last_name=f"{family} {middle}",
                password=password,
                person=person,
                is_staff=account.role in SUPERUSER_ROLES,
                is_superuser=account.role in SUPERUSER_ROLES,
            )
        )
    demo.save(users)
    start = CITY_TERM_XVII.start
    demo.save(
        [
            RoleAssignment(
                user=user,
                council=hoan_kiem if account.role == Role.COMMUNE_OFFICER else demo.city,
                role=account.role,
                committee=refs.committees[COMMITTEE_MEMBER_COMMITTEE]
                if account.role == Role.COMMITTEE_MEMBER
                else None,
                agency=refs.agencies[AGENCY_RESPONDER_AGENCY]
                if account.role == Role.AGENCY_RESPONDER
                else None,
                start_date=start,
            )
            for account, user in zip(DEMO_ACCOUNTS, users, strict=True)
        ]
    )
    demo.save(
        [
            TOTPDevice(user=user, name="demo", key=demo_totp_key(user.username), confirmed=True)
            for account, user in zip(DEMO_ACCOUNTS, users, strict=True)
            if account.role in SECOND_FACTOR_ROLES
        ]
    )
