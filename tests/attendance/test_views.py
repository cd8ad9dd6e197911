from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from portal.attendance import services
from portal.attendance.models import FeedbackResponse
from tests.attendance import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _register_url(session):
    return reverse("attendance_register", args=["courses.session", session.pk])


def _book(session, user):
    return factories.booking(session, user).attendees.get()


def test_the_sessions_trainer_sees_the_register_with_radios_for_each_person(
    staff_client, past_session, trainer, learner
):
    _book(past_session, learner)
    response = staff_client(trainer).get(_register_url(past_session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zoë Learner" in html
    assert html.count('type="radio"') == 4
    assert "Mark all present" in html


def test_the_trainer_saves_the_register_and_marks_all_present(
    staff_client, past_session, trainer, learner
):
    attendee = _book(past_session, learner)
    other = _book(past_session, UserFactory())
    client = staff_client(trainer)
    response = client.post(_register_url(past_session), {f"person-{attendee.pk}": "late"})
    assert response.status_code == 302
    response = client.post(_register_url(past_session), {"mark_all_present": "1"})
    assert response.status_code == 302
    statuses = dict(services.marks_of(past_session).values_list("person_id", "status"))
    assert statuses == {attendee.pk: "late", other.pk: "present"}


def test_the_heading_names_the_course_date_time_and_venue_and_needs_are_shown_audited(
    staff_client, past_session, trainer, learner
):
    from portal.audit import AuditEvent

    attendee = _book(past_session, learner)
    attendee.needs = "Hearing loop"
    attendee.save()
    response = staff_client(trainer).get(_register_url(past_session))
    html = response.content.decode()
    starts = timezone.localtime(past_session.starts_at)
    heading = html[html.index("<h1") : html.index("</h1>")]
    for part in (
        "Register: DA awareness level 1",
        f"{starts:%A %-d %B %Y}, {starts:%H:%M} to",
        "Civic Centre, Riverside",
    ):
        assert part in heading
    assert "Access or dietary needs:</strong> Hearing loop" in html
    event = AuditEvent.objects.filter(action="view", target_id=str(past_session.pk)).get()
    assert event.actor == trainer
    assert event.detail["access_needs_shown"] == 1


def test_a_register_opens_before_the_session_but_saving_it_is_refused(
    staff_client, upcoming_session, trainer, learner
):
    attendee = _book(upcoming_session, learner)
    client = staff_client(trainer)
    url = _register_url(upcoming_session)
    opened = client.get(url).content.decode()
    assert "This register can be taken once it starts" in opened
    assert "Zoë Learner" in opened
    response = client.post(url, {f"person-{attendee.pk}": "late"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("This register can be taken once it starts") == 2
    # What was chosen is still chosen, not lost.
    assert 'value="late" checked' in html.replace(f'id="id_person-{attendee.pk}_1" ', "")
    response = client.post(url, {"mark_all_present": "1"}, follow=True)
    assert "This register can be taken once it starts" in response.content.decode()
    assert not services.marks_of(upcoming_session).exists()


def test_a_bad_status_gets_a_message_not_an_error(staff_client, past_session, trainer, learner):
    attendee = _book(past_session, learner)
    response = staff_client(trainer).post(
        _register_url(past_session), {f"person-{attendee.pk}": "asleep"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not services.marks_of(past_session).exists()


def test_a_coordinator_may_open_any_register(staff_client, past_session, coordinator):
    assert staff_client(coordinator).get(_register_url(past_session)).status_code == 200


def test_another_trainer_may_not_open_or_post_the_register(staff_client, past_session, learner):
    attendee = _book(past_session, learner)
    client = staff_client(UserFactory(roles=["Trainer"]))
    # Not assigned: the same 404 as for no such session, revealing nothing about it.
    assert client.get(_register_url(past_session)).status_code == 404
    response = client.post(_register_url(past_session), {f"person-{attendee.pk}": "present"})
    assert response.status_code == 404
    assert client.post(_register_url(past_session), {"mark_all_present": "1"}).status_code == 404
    assert not services.marks_of(past_session).exists()


def test_anonymous_people_are_sent_to_sign_in(client, past_session):
    response = client.get(_register_url(past_session))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_register_list_shows_a_trainers_own_sessions_in_constant_queries(
    staff_client, trainer, course_page, django_assert_max_num_queries
):
    client = staff_client(trainer)
    mine = factories.session(course_page, starts_in=timedelta(hours=2), trainers=[trainer])
    factories.session(course_page, starts_in=timedelta(days=1))
    _book(mine, UserFactory())
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("attendance_registers"))
    for _ in range(10):
        _book(factories.session(course_page, trainers=[trainer]), UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("attendance_registers"))
    html = response.content.decode()
    assert html.count(reverse("attendance_register", args=["courses.session", mine.pk])) == 1
    assert html.count('class="register__item"') == 11


def test_the_register_page_queries_do_not_grow_with_attendees(
    staff_client, trainer, past_session, django_assert_max_num_queries
):
    client = staff_client(trainer)
    _book(past_session, UserFactory())
    with django_assert_max_num_queries(60) as few:
        client.get(_register_url(past_session))
    for _ in range(10):
        _book(past_session, UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_register_url(past_session)).status_code == 200


def _marked(session, attendee, status, trainer):
    return services.mark(session, attendee, status, by=trainer)


def test_present_and_late_attendees_download_a_certificate_from_my_account(
    client, past_session, trainer, learner
):
    attendee = _book(past_session, learner)
    mark = _marked(past_session, attendee, "late", trainer)
    client.force_login(learner)
    account = client.get(reverse("my_account")).content.decode()
    assert "Certificates of attendance" in account
    url = reverse("attendance:my_certificate", args=[mark.pk])
    assert url in account
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert "Zoë Learner".encode("latin-1") in pdf
    assert b"DA awareness level 1" in pdf
    assert b"CPD hours: 3.5" in pdf
    assert services.verification_reference(mark).encode() in pdf


@pytest.mark.parametrize("status", ["absent", "apologies"])
def test_no_certificate_for_people_who_were_not_there(
    client, past_session, trainer, learner, status
):
    mark = _marked(past_session, _book(past_session, learner), status, trainer)
    client.force_login(learner)
    assert client.get(reverse("attendance:my_certificate", args=[mark.pk])).status_code == 404
    token = services.certificate_token(mark)
    assert client.get(reverse("attendance:certificate_by_link", args=[token])).status_code == 404


def test_no_certificate_for_someone_else_or_before_the_session_ends(
    client, past_session, upcoming_session, trainer, learner
):
    mark = _marked(past_session, _book(past_session, learner), "present", trainer)
    client.force_login(UserFactory())
    assert client.get(reverse("attendance:my_certificate", args=[mark.pk])).status_code == 404
    import time_machine

    with time_machine.travel(upcoming_session.starts_at + timedelta(minutes=10)):
        early = _marked(upcoming_session, _book(upcoming_session, learner), "present", trainer)
    client.force_login(learner)
    assert client.get(reverse("attendance:my_certificate", args=[early.pk])).status_code == 404


def test_the_emailed_certificate_link_needs_no_sign_in_but_cannot_be_forged(
    client, past_session, trainer
):
    guest = factories.booking(
        past_session, UserFactory(), people=[("Named Guest", "guest@example.org", None)]
    ).attendees.get()
    mark = _marked(past_session, guest, "present", trainer)
    token = services.certificate_token(mark)
    response = client.get(reverse("attendance:certificate_by_link", args=[token]))
    assert response.status_code == 200
    assert b"Named Guest" in response.content
    forged = signing.dumps(mark.pk, salt="something else")
    assert client.get(reverse("attendance:certificate_by_link", args=[forged])).status_code == 404


def test_the_verification_page_confirms_a_genuine_reference(client, past_session, trainer, learner):
    mark = _marked(past_session, _book(past_session, learner), "present", trainer)
    reference = services.verification_reference(mark)
    response = client.get(reverse("attendance:verify", args=[reference]))
    assert response.status_code == 200
    assert "This certificate is genuine" in response.content.decode()
    response = client.get(reverse("attendance:verify", args=[f"{mark.pk}-0000000000"]))
    assert response.status_code == 404


def _feedback_url(mark):
    return reverse("attendance:feedback", args=[services.feedback_token(mark)])


def test_the_feedback_link_takes_one_response_without_sign_in(
    client, past_session, trainer, learner
):
    mark = _marked(past_session, _book(past_session, learner), "present", trainer)
    url = _feedback_url(mark)
    page = client.get(url)
    assert page.status_code == 200
    assert "How was DA awareness level 1?" in page.content.decode()
    response = client.post(url, {"rating": "4", "comment": " Clear and useful. "})
    assert "Thank you for your feedback" in response.content.decode()
    response = FeedbackResponse.objects.get()
    assert (response.rating, response.comment) == (4, "Clear and useful.")
    assert response.occurrence == past_session
    assert response.person_id == mark.person_id

    reused = client.post(url, {"rating": "1"})
    assert "already given feedback" in reused.content.decode()
    assert client.get(url).status_code == 410
    assert FeedbackResponse.objects.count() == 1


def test_feedback_without_a_rating_is_explained_next_to_the_field(
    client, past_session, trainer, learner
):
    mark = _marked(past_session, _book(past_session, learner), "present", trainer)
    response = client.post(_feedback_url(mark), {"rating": "9"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()
    response = client.post(_feedback_url(mark), {})
    assert "Choose a rating from 1 to 5" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_tampered_or_expired_feedback_links_get_a_clear_message(
    client, past_session, trainer, learner, settings
):
    mark = _marked(past_session, _book(past_session, learner), "present", trainer)
    token = services.feedback_token(mark)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(reverse("attendance:feedback", args=[tampered]))
    assert response.status_code == 404 and "not valid" in response.content.decode()
    absent = _marked(past_session, _book(past_session, UserFactory()), "absent", trainer)
    response = client.get(_feedback_url(absent))
    assert "not valid" in response.content.decode()
    response = client.post(reverse("attendance:feedback", args=[tampered]), {"rating": "5"})
    assert "not valid" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_an_old_feedback_link_has_expired(client, past_session, trainer, learner):
    import time_machine

    mark = _marked(past_session, _book(past_session, learner), "present", trainer)
    url = _feedback_url(mark)
    with time_machine.travel(services.FEEDBACK_LINK_LIFETIME + timedelta(days=1)):
        response = client.get(url)
    assert response.status_code == 410 and "expired" in response.content.decode()


def _feedback_given(session, trainer, ratings_and_comments):
    for n, (rating, comment) in enumerate(ratings_and_comments):
        attendee = _book(session, UserFactory(email=f"fb{n}-{session.pk}@example.org"))
        mark = _marked(session, attendee, "present", trainer)
        services.submit_feedback(services.feedback_token(mark), rating=rating, comment=comment)


def test_a_coordinator_reads_feedback_comments_with_the_averages_audited(
    staff_client, past_session, trainer, coordinator, django_assert_max_num_queries
):
    from portal.audit import AuditEvent

    _feedback_given(past_session, trainer, [(5, "Really useful."), (4, ""), (4, "Clear <b>")])
    client = staff_client(coordinator)
    with django_assert_max_num_queries(40):
        listing = client.get(reverse("attendance_feedback_list")).content.decode()
    url = reverse("attendance_feedback", args=["courses.session", past_session.pk])
    assert f'href="{url}"' in listing and "<td>4.3</td>" in listing
    page = client.get(url).content.decode()
    assert "3 responses, average rating <strong>4.3</strong> out of 5" in page
    assert "Really useful." in page and "Clear &lt;b&gt;" in page
    # Comments are shown, not who gave them.
    assert "fb0-" not in page
    viewed = AuditEvent.objects.filter(action="view", target_id=str(past_session.pk)).get()
    assert viewed.actor == coordinator and viewed.detail["feedback_responses"] == 3


def test_feedback_is_for_those_who_read_it_within_their_scope(staff_client, past_session, trainer):
    _feedback_given(past_session, trainer, [(2, "Too long.")])
    url = reverse("attendance_feedback", args=["courses.session", past_session.pk])
    from django.test import Client

    from tests.staff import sign_in_to_staff_area

    def signed_in(user):
        client = Client()
        sign_in_to_staff_area(client, user)
        return client

    for role in ("Trainer", "Commissioner"):
        client = signed_in(UserFactory(roles=[role]))
        assert client.get(reverse("attendance_feedback_list")).status_code in (302, 403), role
        assert client.get(url).status_code in (302, 403), role
    # A reader of feedback outside the session's scope gets the 404 of no such session.
    reader = UserFactory(roles=["Trainer"])
    reader.user_permissions.add(Permission.objects.get(codename="view_feedbackresponse"))
    client = signed_in(reader)
    assert "Too long." not in client.get(reverse("attendance_feedback_list")).content.decode()
    assert client.get(url).status_code == 404
