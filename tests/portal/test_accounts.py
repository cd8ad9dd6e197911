import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core import mail

from portal.accounts.models import STAFF_ROLES, User
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.staff import STAFF_TOTP_SECRET as TOTP_SECRET
from tests.staff import current_code as _code
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db


def signup(client, email, password=PASSWORD, password2=None):
    return client.post(
        "/accounts/signup/",
        {
            "first_name": "New",
            "last_name": "Person",
            "email": email,
            "password1": password,
            "password2": password2 or password,
        },
    )


def test_sign_up_sends_a_verification_email_and_logs_in_by_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "New.Person@Example.com")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert len(mail.outbox) == 1
    assert "confirm" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.com", "a b@c.com", ""])
def test_sign_up_with_a_malformed_email_explains_next_to_the_field(client, email):
    response = signup(client, email)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert b"govuk-error-message" in response.content
    assert not User.objects.exists()


@pytest.mark.parametrize("length", [255, 300, 320])
def test_sign_up_with_an_over_long_email_is_refused_not_truncated(client, length):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4)
    email = email[: length - len(".example.com")] + ".example.com"
    assert len(email) == length
    response = signup(client, email)
    assert response.status_code == 200
    assert "254 characters or fewer" in str(response.context["form"].errors["email"])
    assert b"govuk-error-message" in response.content
    assert not User.objects.exists()


def test_sign_up_with_an_email_of_254_characters_is_accepted(client):
    email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 49 + ".example.com"
    assert len(email) == 254
    assert signup(client, email).status_code == 302
    assert User.objects.get().email == email


def test_sign_up_with_a_weak_password_is_refused_with_a_message(client):
    response = signup(client, "someone@example.com", password="password1")
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_with_a_taken_email_does_not_reveal_or_duplicate_the_account(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "TAKEN@example.com")
    assert response.status_code in {200, 302}
    assert User.objects.filter(email="taken@example.com").count() == 1
    # The owner of the address is told, by email, not the person at the keyboard.
    assert "already" in mail.outbox[-1].body.lower()


def test_login_is_by_email_address(client):
    UserFactory(email="login@example.com")
    response = client.post("/accounts/login/", {"login": "LOGIN@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_login_with_a_wrong_password_gets_a_message(client):
    UserFactory(email="login@example.com")
    response = client.post("/accounts/login/", {"login": "login@example.com", "password": "nope"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_my_account_needs_sign_in_and_lists_organisations(client):
    assert client.get("/accounts/profile/").status_code == 302
    membership = MembershipFactory(organisation__name="Northgate Logistics Ltd")
    client.force_login(membership.user)
    response = client.get("/accounts/profile/")
    assert b"My account" in response.content
    assert b"Northgate Logistics Ltd" in response.content


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_landing_on_my_account_get_a_link_to_the_staff_area(client, role):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert (
        '<a class="govuk-link govuk-!-font-weight-bold" href="/admin/">Go to the staff area' in html
    )


def test_people_without_a_staff_role_get_no_staff_area_link_on_my_account(client):
    client.force_login(MembershipFactory().user)
    assert b"staff area" not in client.get("/accounts/profile/").content


def test_council_staff_are_recognised_by_a_verified_address_on_a_council_domain(settings):
    settings.COUNCIL_EMAIL_DOMAINS = ["riverside.gov.uk"]
    assert UserFactory(email="a@riverside.gov.uk").is_council_staff
    assert not UserFactory(email="b@riverside.gov.uk", verified=False).is_council_staff
    assert not UserFactory(email="c@riverside.gov.uk.evil.com").is_council_staff
    assert not UserFactory(email="d@example.com").is_council_staff


def test_every_staff_role_exists_and_may_open_the_staff_area():
    for role in STAFF_ROLES:
        group = Group.objects.get(name=role)
        assert group.permissions.filter(codename="access_admin").exists()


# The roles that contact people keep their safe-contact plans.
PLANS = {f"portal.{action}_safecontactplan" for action in ("add", "change", "view")}
# A permission per training report; trainers see attendance and feedback (their sessions').
TRAINER_REPORTS = {
    "courses.report_attendance_by_session",
    "courses.report_attendance_by_course",
    "courses.report_training_feedback",
}
TRAINING_REPORTS = {
    *TRAINER_REPORTS,
    "courses.report_training_by_sector",
    "courses.report_training_by_audience",
    "courses.report_training_by_month",
    "courses.report_training_income",
}
REFERRAL_REPORTS = {
    "referrals.report_helpline_by_caller_and_hour",
    "referrals.report_referrals_by_source_and_month",
    "referrals.report_referrals_by_locality",
    "referrals.report_referral_outcomes",
    "referrals.report_days_to_first_contact",
    "referrals.report_contact_attempts",
    "referrals.report_days_to_service_start",
}
# A permission per programme report: coordinators (their localities), commissioners.
PROGRAMME_REPORTS = {
    "programmes.report_programme_enrolments",
    "programmes.report_programme_withdrawals",
    "programmes.report_programme_waiting_lists",
    "programmes.report_programme_days_to_a_place",
}
# A permission per volunteering report: volunteer coordinators (their localities) and
# commissioners (the service).
VOLUNTEER_REPORTS = {
    f"volunteers.report_{name}"
    for name in (
        "applications_by_stage",
        "days_to_active",
        "active_volunteers",
        "dbs_renewals",
        "volunteer_equality",
    )
}
ROLE_PERMISSIONS = {
    "Editor": {
        *(
            f"cms.{action}_{model}"
            for model in ("topic", "audience", "dropin")
            for action in ("add", "change", "delete", "view")
        ),
        # The one locality list is portal's; editors keep it, as they kept cms's.
        *(f"portal.{action}_locality" for action in ("add", "change", "delete", "view")),
        # Drop-ins are published without sign-off: a cancelled session cannot wait.
        *(f"cms.{action}_dropin" for action in ("publish", "lock", "unlock")),
        "cms.change_helplinesettings",
        "courses.add_topic",
        "courses.change_topic",
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    },
    "Coordinator": {
        "accounts.add_organisation",
        "attendance.view_feedbackresponse",
        "accounts.change_organisation",
        "accounts.view_organisation",
        "courses.add_session",
        "courses.add_topic",
        "courses.change_booking",
        "courses.change_cancellationpolicy",
        "courses.change_session",
        "courses.change_topic",
        "courses.view_attendee",
        "courses.view_booking",
        "courses.view_invoices",
        "courses.view_session",
        "payments.view_payment",
        "payments.view_refund",
        *PLANS,
        "programmes.coordinate_programmes",
        *PROGRAMME_REPORTS,
        # Coordinators take the helpline's calls (there is no separate helpline role).
        "referrals.record_helpline_call",
        # A person's subject-access and erasure requests about the referrals they see.
        "referrals.handle_subject_request",
        "referrals.triage_referral",
        "referrals.work_on_referral",
        *REFERRAL_REPORTS,
        *TRAINING_REPORTS,
        "wagtailadmin.access_admin",
    },
    "Trainer": {
        "courses.view_attendee",
        "courses.view_booking",
        "courses.view_session",
        *TRAINER_REPORTS,
        "wagtailadmin.access_admin",
    },
    "Programme facilitator": {
        *PLANS,
        "programmes.facilitate_programmes",
        "wagtailadmin.access_admin",
    },
    "Volunteer coordinator": {
        *PLANS,
        "volunteers.change_application",
        "volunteers.view_application",
        "volunteers.view_lived_experience",
        # Shifts: adding, changing (places, times, who is on them) and seeing them.
        "volunteers.add_shift",
        "volunteers.change_shift",
        "volunteers.view_shift",
        *VOLUNTEER_REPORTS,
        "wagtailadmin.access_admin",
    },
    # Only the referrals allocated to them, through the referral screens (not the plans list).
    "Community worker": {"referrals.work_on_referral", "wagtailadmin.access_admin"},
    # Figures, not individual records: the reports, and what they are counted by.
    "Commissioner": {
        "accounts.view_organisation",
        # What organisations owe for invoiced training: sums per organisation, no attendees.
        "courses.view_cancellationpolicy",
        "courses.view_invoices",
        "courses.view_session",
        *PROGRAMME_REPORTS,
        *REFERRAL_REPORTS,
        *TRAINING_REPORTS,
        *VOLUNTEER_REPORTS,
        "wagtailadmin.access_admin",
    },
}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_role_holds_exactly_what_its_work_needs(role):
    """A permission added to a role is a decision: make it here too, or it fails."""
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert held == ROLE_PERMISSIONS[role]


def test_commissioners_cannot_open_bookings_payments_or_refunds():
    commissioner = UserFactory(roles=["Commissioner"])
    for permission in ["courses.view_booking", "payments.view_payment", "payments.view_refund"]:
        assert not commissioner.has_perm(permission)
    assert all(commissioner.has_perm(report) for report in TRAINING_REPORTS)


def test_wagtails_default_editors_group_is_gone_and_moderators_sign_pages_off():
    """The roles are the portal's own groups; "Moderators" approves pages in the workflow."""
    from wagtail.models import GroupApprovalTask

    assert not Group.objects.filter(name="Editors").exists()
    moderators = Group.objects.get(name="Moderators")
    assert GroupApprovalTask.objects.filter(groups=moderators, active=True).exists()


def test_roles_hold_only_what_their_work_needs():
    commissioner = UserFactory(roles=["Commissioner"])
    trainer = UserFactory(roles=["Trainer"])
    editor = UserFactory(roles=["Editor"])
    for user in (commissioner, trainer):
        assert not user.has_perm("wagtailimages.add_image")
        assert not user.has_perm("accounts.change_user")
    assert editor.has_perm("wagtailimages.add_image")
    assert not editor.has_perm("accounts.change_user")
    assert not editor.has_perm("auth.change_group")


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client):
    client.force_login(UserFactory(roles=["Trainer"]))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_the_second_factor_is_required_when_the_portal_is_served_under_a_prefix(client):
    """Behind a proxy that mounts the portal at /portal/, the path still starts there."""
    client.force_login(UserFactory(roles=["Trainer"]))
    response = client.get("/admin/", SCRIPT_NAME="/portal")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]


def test_people_without_a_staff_role_are_not_let_into_the_staff_area(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_sign_in_asks_for_the_code_and_a_wrong_code_gets_a_message(client):
    user = UserFactory(email="trainer@example.com", roles=["Trainer"])
    TOTP.activate(user, TOTP_SECRET)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert b"govuk-error-message" in response.content
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": _code()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_setting_up_totp_then_the_staff_area_opens(client):
    user = UserFactory(roles=["Editor"])
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")  # password again first
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
    # Setting the app up is not signing in with it: the staff area asks for a code once.
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    client.post(response["Location"], {"code": _code(secret)})
    assert client.get("/admin/").status_code == 200


def test_coordinators_manage_organisations_in_the_staff_area(client):
    coordinator = UserFactory(roles=["Coordinator"])
    sign_in_to_staff_area(client, coordinator)
    MembershipFactory(organisation__name="Northgate Logistics Ltd")
    response = client.get("/admin/organisations/")
    assert response.status_code == 200
    assert b"Northgate Logistics Ltd" in response.content
    response = client.post(
        "/admin/organisations/new/",
        {"name": "Riverside Foodbank", "sector": "voluntary", "invoiced": "on"},
    )
    assert response.status_code == 302
    from portal.accounts.models import Organisation

    assert Organisation.objects.get(name="Riverside Foodbank").invoiced


def test_a_trainer_cannot_open_organisations(client):
    trainer = UserFactory(roles=["Trainer"])
    sign_in_to_staff_area(client, trainer)
    assert client.get("/admin/organisations/").status_code in {302, 403}


def test_the_staff_area_asks_no_third_party_for_avatars(client):
    editor = UserFactory(roles=["Editor"])
    sign_in_to_staff_area(client, editor)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()


def test_password_reset_sends_a_link_without_revealing_whether_the_account_exists(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="reset@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "reset@example.com"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # One email, to the account holder; an unknown address is never written to.
    assert [m.to for m in mail.outbox] == [["reset@example.com"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_failed_logins_are_rate_limited(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    UserFactory(email="target@example.com")
    responses = [
        client.post("/accounts/login/", {"login": "target@example.com", "password": "wrong"})
        for _ in range(8)
    ]
    assert all(r.status_code in {200, 429} for r in responses)
    last = responses[-1].content.decode().lower()
    assert "too many" in last


def test_wagtails_own_sign_in_and_password_reset_lead_to_ours(client):
    """Wagtail's sign-in form would skip the second factor; its reset would email anyone."""
    user = UserFactory(roles=["Trainer"])
    TOTP.activate(user, TOTP_SECRET)
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code in {301, 302}
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    response = client.get("/admin/password_reset/")
    assert response["Location"] == "/accounts/password/reset/"


def test_a_session_signed_in_without_the_second_factor_must_give_a_code(client):
    user = UserFactory(roles=["Coordinator"])
    TOTP.activate(user, TOTP_SECRET)
    client.force_login(user)  # as if signed in by password alone
    response = client.get("/admin/organisations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    response = client.post(response["Location"], {"code": "000000"})
    assert client.get("/admin/").status_code == 302
    client.post("/accounts/2fa/reauthenticate/", {"code": _code()})
    assert client.get("/admin/organisations/").status_code == 200


def test_account_emails_honour_discreet_mode(client, settings, django_capture_on_commit_callbacks):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    UserFactory(email="quiet@example.com", plan={"service_may_be_named": False})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "quiet@example.com"})
    [email] = mail.outbox
    assert email.from_email == settings.DISCREET_FROM_EMAIL
    assert email.subject == settings.DISCREET_SUBJECT
    text = f"{email.from_email} {email.subject} {email.body}".lower()
    assert "domestic" not in text and "abuse" not in text and "riverside" not in text


def test_account_emails_never_go_to_an_address_marked_unsafe(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="unsafe@example.com", plan={"email_is_safe": False})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "unsafe@example.com"})
    assert mail.outbox == []
