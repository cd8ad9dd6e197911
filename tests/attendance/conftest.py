from datetime import timedelta

import pytest

from tests.attendance import factories
from tests.factories import UserFactory


@pytest.fixture
def trainer(db):
    return UserFactory(roles=["Trainer"], first_name="Tess", last_name="Trainer")


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["Coordinator"])


@pytest.fixture
def learner(db):
    return UserFactory(first_name="Zoë", last_name="Learner", email="zoe@example.com")


@pytest.fixture
def site_root(db):
    """A bare page to hang the training index from (the full demo site is slow to build)."""
    from wagtail.models import Page

    return Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-test"))


@pytest.fixture
def course_page(site_root):
    return factories.course(site_root)


@pytest.fixture
def past_session(course_page, trainer):
    """Held yesterday: its register can be taken and its certificates downloaded."""
    return factories.session(course_page, trainers=[trainer])


@pytest.fixture
def staff_client(client):
    """Signs a member of staff in with password and authenticator code, as the staff area needs."""
    from tests.staff import sign_in_to_staff_area

    def sign_in(user):
        sign_in_to_staff_area(client, user)
        return client

    return sign_in


@pytest.fixture
def upcoming_session(course_page, trainer):
    return factories.session(course_page, starts_in=timedelta(days=3), trainers=[trainer])
