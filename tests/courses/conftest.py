import pytest

from courses.models import Audience
from portal.accounts.models import Sector
from tests.courses import helpers
from tests.factories import MembershipFactory
from tests.stripe_standin import stripe_standin  # noqa: F401 - the fixture, for test_payments


@pytest.fixture
def course_page(home_page):
    return helpers.course(home_page)


@pytest.fixture
def training_session(course_page):
    return helpers.session(course_page, capacity=3)


@pytest.fixture(autouse=True)
def card_payments_configured(settings):
    """Card payments are on (a key is set), as where paid courses are sold; requests go to
    an address where nothing listens unless a test starts the Stripe stand-in
    (`stripe_standin`), so no test ever reaches Stripe itself."""
    settings.STRIPE_SECRET_KEY = "sk_test_courses"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"


@pytest.fixture
def priced_session(home_page):
    """For invoiced bookings (test_invoices.py, test_invoice_pdf.py)."""
    course = helpers.course(
        home_page, title="DA in the workplace", prices={Audience.BUSINESS: 4500}
    )
    return helpers.session(course, capacity=5)


@pytest.fixture
def invoiced_member():
    return MembershipFactory(organisation__sector=Sector.BUSINESS, organisation__invoiced=True).user
