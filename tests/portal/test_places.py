"""The places engine, on offerings and holdings of its own (tests/places_app: shifts and
cohort weeks in miniature), not through any app that uses it. Its races on PostgreSQL are in
test_places_races.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from portal import places
from portal.places import HoldingStatus
from tests.places_app.builders import BASE, person, shift, sign_up, status
from tests.places_app.models import CohortWeek, Enrolment, Move, Person, Shift, SignUp


@pytest.mark.django_db
class TestCapacityAndTheWaitingList:
    def test_confirms_until_full_then_waits(self):
        offering = shift()
        statuses = [sign_up(offering, quantity=3).status for _ in range(4)]
        assert statuses == ["confirmed"] * 3 + ["waiting"]
        assert offering.places_taken() == 9 and offering.places_left() == 1

    def test_a_request_larger_than_the_capacity_is_refused(self):
        with pytest.raises(places.NoPlaces):
            sign_up(shift(), quantity=11)
        assert not SignUp.objects.exists()

    def test_without_waiting_a_full_offering_refuses(self):
        offering = shift()
        sign_up(offering, quantity=10)
        with pytest.raises(places.NoPlaces):
            sign_up(offering, may_wait=False)

    def test_a_hold_for_payment_takes_places_until_it_lapses(self):
        offering = shift()
        held = sign_up(offering, quantity=8, hold_for=timedelta(minutes=15))
        waiting = sign_up(offering, quantity=3)
        assert held.status == HoldingStatus.HELD and waiting.status == HoldingStatus.WAITING
        assert places.expire_lapsed(now=timezone.now() + timedelta(minutes=16)) == 1
        assert status(held) == HoldingStatus.EXPIRED
        assert status(waiting) == HoldingStatus.OFFERED
        # Paid after the hold lapsed: confirmed only if its places are still free (7 are).
        assert places.confirm_held(held) is False
        places.release_places(waiting)
        assert places.confirm_held(held) is True
        assert offering.places_taken() == 8

    def test_paid_after_the_hold_lapsed_with_no_place_left_is_refused(self):
        offering = shift()
        held = sign_up(offering, quantity=5, hold_for=timedelta(minutes=15))
        places.expire_lapsed(now=timezone.now() + timedelta(minutes=16))
        sign_up(offering, quantity=10)
        assert places.confirm_held(held) is False
        assert offering.places_taken() == 10

    def test_freed_places_go_to_the_first_waiting_entry_that_fits(self):
        offering = shift()
        taken = sign_up(offering, quantity=10)
        big = sign_up(offering, quantity=4)
        small = sign_up(offering, quantity=2)
        places.release_places(taken, quantity=3)
        assert status(big) == HoldingStatus.WAITING and status(small) == HoldingStatus.OFFERED
        places.release_places(taken, quantity=3)
        assert status(big) == HoldingStatus.OFFERED
        assert offering.places_taken() == 10

    def test_without_an_offer_window_freed_places_are_confirmed_at_once(self):
        offering = shift(window=None)
        taken = sign_up(offering, quantity=10)
        waiting = sign_up(offering)
        places.release_places(taken, quantity=1)
        assert status(waiting) == HoldingStatus.CONFIRMED

    def test_an_offer_cannot_be_accepted_twice_or_after_it_lapsed(self):
        offering = shift()
        taken = sign_up(offering, quantity=10)
        first, second = sign_up(offering), sign_up(offering)
        places.release_places(taken, quantity=1)
        places.accept_offer(first)
        with pytest.raises(places.NotOffered):
            places.accept_offer(first)
        places.release_places(taken, quantity=1)
        SignUp.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(places.NotOffered, match="expired"):
            places.accept_offer(second)
        assert status(second) == HoldingStatus.EXPIRED

    def test_a_manual_offer_needs_free_places(self):
        offering = shift()
        sign_up(offering, quantity=10)
        with pytest.raises(places.NoPlaces):
            places.offer_to(sign_up(offering))

    def test_leaving_the_waiting_list_frees_nothing_and_loses_nothing(self):
        offering = shift()
        sign_up(offering, quantity=10)
        waiting = sign_up(offering)
        places.release_places(waiting)
        assert status(waiting) == HoldingStatus.CANCELLED
        assert offering.places_taken() == 10


@pytest.mark.django_db
class TestCapacityAndCancellation:
    def test_raising_the_capacity_offers_the_new_places_at_once_in_queue_order(self):
        offering = shift(capacity=2)
        sign_up(offering, quantity=2)
        first, second, third = (sign_up(offering) for _ in range(3))
        offered = places.set_capacity(offering, 4)
        assert [h.pk for h in offered] == [first.pk, second.pk]
        assert [status(h) for h in (first, second, third)] == ["offered", "offered", "waiting"]
        offering.refresh_from_db()
        assert offering.capacity == 4 and offering.places_taken() == 4
        assert Move.objects.filter(sign_up=first, previous="waiting", status="offered").exists()

    def test_the_capacity_cannot_go_below_the_places_taken(self):
        offering = shift(capacity=5)
        sign_up(offering, quantity=3)
        with pytest.raises(places.PlacesError, match="3 places are taken"):
            places.set_capacity(offering, 2)
        offering.refresh_from_db()
        assert offering.capacity == 5
        assert places.set_capacity(offering, 3) == []
        offering.refresh_from_db()
        assert offering.capacity == 3

    def test_cancelling_an_offering_cancels_every_holding_through_the_hook(self):
        offering = shift(capacity=3)
        confirmed = sign_up(offering, quantity=2)
        held = sign_up(offering, hold_for=timedelta(minutes=15))
        waiting = sign_up(offering)
        done = sign_up(shift(hour=5))  # another offering's: untouched
        Move.objects.all().delete()
        cancelled = places.cancel_offering(offering)
        assert [(h.pk, previous) for h, previous in cancelled] == [
            (confirmed.pk, "confirmed"),
            (held.pk, "held"),
            (waiting.pk, "waiting"),
        ]
        assert {status(h) for h in (confirmed, held, waiting)} == {HoldingStatus.CANCELLED}
        assert sorted(Move.objects.values_list("previous", "status")) == [
            ("confirmed", "cancelled"),
            ("held", "cancelled"),
            ("waiting", "cancelled"),
        ]
        assert offering.places_taken() == 0 and status(done) == HoldingStatus.CONFIRMED

    def test_places_taken_is_one_annotation_for_a_list(self, django_assert_num_queries):
        full, half, empty = shift(capacity=2), shift(capacity=4, hour=3), shift(hour=6)
        sign_up(full, quantity=2)
        sign_up(full)  # waiting: takes none
        sign_up(half, hold_for=timedelta(minutes=15))
        places.release_places(sign_up(half))  # cancelled: takes none
        with django_assert_num_queries(1):
            taken = {s.pk: s.taken for s in places.with_places_taken(Shift.objects.all())}
        assert taken == {full.pk: 2, half.pk: 1, empty.pk: 0}

    def test_the_engine_schedules_the_lapsed_holds_and_offers(self):
        assert Schedule.objects.filter(func="portal.places.expire_lapsed", minutes=1).exists()


@pytest.mark.django_db
class TestTheHooks:
    def test_the_waiting_list_goes_by_priority_then_by_date(self):
        offering = shift(capacity=1)
        sign_up(offering)
        early = sign_up(offering, person("early"))
        late_but_urgent = sign_up(offering, person("urgent", priority=5))
        later = sign_up(offering, person("later"))
        queue = [h.pk for h in places.waiting_queue(offering)]
        assert queue == [late_but_urgent.pk, early.pk, later.pk]
        assert [places.waiting_position(h) for h in (late_but_urgent, early, later)] == [1, 2, 3]
        places.set_capacity(offering, 2)
        assert status(late_but_urgent) == HoldingStatus.OFFERED
        assert places.waiting_position(early) == 1

    def test_a_person_not_eligible_is_refused_and_passed_over_while_waiting(self):
        offering = shift(capacity=1)
        taken = sign_up(offering)
        with pytest.raises(places.NotEligible, match="check has lapsed"):
            sign_up(offering, person(cleared=False))
        lapses = person("lapses")
        first = sign_up(offering, lapses)
        second = sign_up(offering)
        Person.objects.filter(pk=lapses.pk).update(cleared=False)
        places.release_places(taken)
        assert status(first) == HoldingStatus.WAITING and status(second) == HoldingStatus.OFFERED
        assert places.waiting_position(first) == 1  # kept its place in the queue
        places.set_capacity(offering, 2)
        assert status(first) == HoldingStatus.WAITING
        with pytest.raises(places.NotEligible):
            places.offer_to(first)
        Person.objects.filter(pk=lapses.pk).update(cleared=True)
        places.set_capacity(offering, 3)
        assert status(first) == HoldingStatus.OFFERED

    def test_one_person_cannot_hold_two_places_at_the_same_time(self):
        alex = person("Alex")
        morning = shift(hour=0, hours=3)
        sign_up(morning, alex)
        with pytest.raises(places.Overlaps):
            sign_up(shift(hour=2), alex)
        assert sign_up(shift(hour=3), alex).status == HoldingStatus.CONFIRMED  # back to back
        # The rule spans kinds of offering: a cohort week's session at the same time.
        week = CohortWeek.objects.create(
            capacity=8, starts_at=BASE + timedelta(hours=1), ends_at=BASE + timedelta(hours=2)
        )
        with pytest.raises(places.Overlaps):
            places.request_places(week, person=alex)
        assert not Enrolment.objects.exists()
        assert places.request_places(week, person=person()).status == HoldingStatus.CONFIRMED

    def test_waiting_for_two_at_once_is_allowed_and_only_one_is_offered(self):
        alex, sam = person("Alex"), person("Sam")
        first, second = shift(capacity=1), shift(capacity=1, hour=1)
        holders = [sign_up(first), sign_up(second)]
        alex_first, alex_second = sign_up(first, alex), sign_up(second, alex)
        sam_second = sign_up(second, sam)
        places.release_places(holders[0])
        assert status(alex_first) == HoldingStatus.OFFERED
        places.release_places(holders[1])
        # Alex holds an offer at that time: passed over, still waiting, Sam offered instead.
        assert status(alex_second) == HoldingStatus.WAITING
        assert status(sam_second) == HoldingStatus.OFFERED
        places.set_capacity(second, 2)
        assert status(alex_second) == HoldingStatus.WAITING
        with pytest.raises(places.Overlaps):
            places.offer_to(alex_second)

    def test_paid_after_the_hold_lapsed_is_refused_if_the_person_took_a_place_meanwhile(self):
        alex = person("Alex")
        held = sign_up(shift(), alex, hold_for=timedelta(minutes=15))
        places.expire_lapsed(now=timezone.now() + timedelta(minutes=16))
        sign_up(shift(hour=1), alex)
        assert places.confirm_held(held) is False


@pytest.mark.django_db
def test_places_staff_offer_are_offered_until_accepted_or_waiting_when_full():
    offering = shift(capacity=1)
    offered = sign_up(offering, offer_for=timedelta(days=7))
    assert offered.status == HoldingStatus.OFFERED and offered.expires_at is not None
    assert offering.places_taken() == 1
    assert sign_up(offering, offer_for=timedelta(days=7)).status == HoldingStatus.WAITING
    assert places.accept_offer(offered).status == HoldingStatus.CONFIRMED
    with pytest.raises(places.PlacesError):
        sign_up(offering, hold_for=timedelta(minutes=5), offer_for=timedelta(days=1))
