import pytest

from hdnd.accounts import services
from hdnd.core.errors import DomainError
from hdnd.core.models import AuditEvent
from hdnd.testing import factories


def test_it_creates_an_account_for_a_person_without_a_usable_password(db):
    actor = factories.UserFactory(is_superuser=True)
    person = factories.PersonFactory()
    user = services.create_user_for_person(actor=actor, person=person, username="nguyen.thu")
    assert user.person == person
    assert not user.has_usable_password()
    assert AuditEvent.objects.get(action="accounts.user.create").object_id == str(user.pk)


def test_it_refuses_a_second_account_for_the_same_person(db):
    actor = factories.UserFactory(is_superuser=True)
    person = factories.PersonFactory()
    services.create_user_for_person(actor=actor, person=person, username="nguyen.thu")
    with pytest.raises(services.AccountExists):
        services.create_user_for_person(actor=actor, person=person, username="nguyen.thu2")


def test_it_refuses_a_taken_username(db):
    actor = factories.UserFactory(is_superuser=True, username="taken")
    with pytest.raises(services.AccountExists):
        services.create_user_for_person(
            actor=actor, person=factories.PersonFactory(), username="Taken"
        )


@pytest.mark.usefixtures("in_english")
def test_it_refuses_a_weak_password(db):
    actor = factories.UserFactory(is_superuser=True)
    with pytest.raises(DomainError) as caught:
        services.create_user_for_person(
            actor=actor, person=factories.PersonFactory(), username="moi", password="short"
        )
    assert "too short" in caught.value.message


def test_a_users_name_reads_family_name_first(db):
    from hdnd.testing import factories

    user = factories.UserFactory(first_name="Phương", last_name="Phan Thanh")
    assert user.get_full_name() == "Phan Thanh Phương"
    person = factories.PersonFactory(full_name="Nguyễn Thị Hòa")
    user.person = person
    assert user.get_full_name() == "Nguyễn Thị Hòa"
