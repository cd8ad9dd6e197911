"""The places engine, through the course models (its first concrete offering and holding)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from courses.models import Audience, Booking
from portal import places
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.factories import UserFactory

# Restores Wagtail's page tree after the transactional race tests; they only run on PostgreSQL
# (on SQLite restoring it before the skip would fail on content types made during the run).
ON_POSTGRESQL = connection.vendor == "postgresql"


def request(session, user, quantity=1, **kwargs):
    return places.request_places(
        session,
        quantity=quantity,
        reference=Booking.new_reference() + str(Booking.objects.count()),
        booked_by=user,
        audience=Audience.PUBLIC,
        **kwargs,
    )


@pytest.fixture
def offering(home_page):
    return helpers.session(helpers.course(home_page), capacity=10)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.mark.django_db
class TestOnAnyDatabase:
    def test_confirms_until_full_then_waits(self, offering, user):
        statuses = [request(offering, user, quantity=3).status for _ in range(4)]
        assert statuses == ["confirmed"] * 3 + ["waiting"]
        assert offering.places_taken() == 9 and offering.places_left() == 1

    def test_a_request_larger_than_the_capacity_is_refused(self, offering, user):
        with pytest.raises(places.NoPlaces):
            request(offering, user, quantity=11)
        assert not Booking.objects.exists()

    def test_without_waiting_a_full_offering_refuses(self, offering, user):
        request(offering, user, quantity=10)
        with pytest.raises(places.NoPlaces):
            request(offering, user, may_wait=False)

    def test_a_hold_for_payment_takes_places_until_it_lapses(self, offering, user):
        held = request(offering, user, quantity=8, hold_for=timedelta(minutes=15))
        waiting = request(offering, user, quantity=3)
        assert held.status == HoldingStatus.HELD and waiting.status == HoldingStatus.WAITING
        assert places.expire_lapsed(now=timezone.now() + timedelta(minutes=16)) == 1
        held.refresh_from_db()
        waiting.refresh_from_db()
        assert held.status == HoldingStatus.EXPIRED
        assert waiting.status == HoldingStatus.OFFERED
        # Paid after the hold lapsed: confirmed only if its places are still free (7 are).
        assert places.confirm_held(held) is False
        places.release_places(waiting)
        assert places.confirm_held(held) is True
        assert offering.places_taken() == 8

    def test_paid_after_the_hold_lapsed_with_no_place_left_is_refused(self, offering, user):
        held = request(offering, user, quantity=5, hold_for=timedelta(minutes=15))
        places.expire_lapsed(now=timezone.now() + timedelta(minutes=16))
        request(offering, user, quantity=10)
        assert places.confirm_held(held) is False
        assert offering.places_taken() == 10

    def test_freed_places_go_to_the_oldest_waiting_entry_that_fits(self, offering, user):
        taken = request(offering, user, quantity=10)
        big = request(offering, user, quantity=4)
        small = request(offering, user, quantity=2)
        places.release_places(taken, quantity=3)
        big.refresh_from_db()
        small.refresh_from_db()
        assert big.status == HoldingStatus.WAITING and small.status == HoldingStatus.OFFERED
        places.release_places(taken, quantity=3)
        big.refresh_from_db()
        assert big.status == HoldingStatus.OFFERED
        assert offering.places_taken() == 10

    def test_without_an_offer_window_freed_places_are_confirmed_at_once(
        self, offering, user, monkeypatch
    ):
        monkeypatch.setattr(type(offering), "offer_window", lambda self: None)
        taken = request(offering, user, quantity=10)
        waiting = request(offering, user, quantity=1)
        places.release_places(taken, quantity=1)
        waiting.refresh_from_db()
        assert waiting.status == HoldingStatus.CONFIRMED

    def test_an_offer_cannot_be_accepted_twice_or_after_it_lapsed(self, offering, user):
        taken = request(offering, user, quantity=10)
        first = request(offering, user)
        second = request(offering, user)
        places.release_places(taken, quantity=1)
        places.accept_offer(first)
        with pytest.raises(places.NotOffered):
            places.accept_offer(first)
        places.release_places(taken, quantity=1)
        second.refresh_from_db()
        second.expires_at = timezone.now() - timedelta(seconds=1)
        second.save()
        with pytest.raises(places.NotOffered, match="expired"):
            places.accept_offer(second)
        second.refresh_from_db()
        assert second.status == HoldingStatus.EXPIRED

    def test_a_manual_offer_needs_free_places(self, offering, user):
        request(offering, user, quantity=10)
        waiting = request(offering, user)
        with pytest.raises(places.NoPlaces):
            places.offer_to(waiting)

    def test_leaving_the_waiting_list_frees_nothing_and_loses_nothing(self, offering, user):
        request(offering, user, quantity=10)
        waiting = request(offering, user)
        places.release_places(waiting)
        waiting.refresh_from_db()
        assert waiting.status == HoldingStatus.CANCELLED
        assert offering.places_taken() == 10


def _race(offering, user, threads: int, quantity: int = 1) -> tuple[list, list]:
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def worker(n):
        try:
            barrier.wait()
            holding = places.request_places(
                offering,
                quantity=quantity,
                reference=f"RACE-{n}",
                booked_by=user,
                audience=Audience.PUBLIC,
            )
            results.append(holding.status)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=ON_POSTGRESQL)
def test_fifty_connections_racing_for_ten_places_never_oversell(home_page):
    offering = helpers.session(helpers.course(home_page), capacity=10)
    user = UserFactory()
    results, errors = _race(offering, user, threads=60)
    assert errors == []
    assert results.count(HoldingStatus.CONFIRMED) == 10
    assert results.count(HoldingStatus.WAITING) == 50
    assert Booking.objects.count() == 60  # none lost
    assert offering.places_taken() == 10
    connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=ON_POSTGRESQL)
def test_racing_requests_and_cancellations_keep_the_count_exact(home_page):
    offering = helpers.session(helpers.course(home_page), capacity=10)
    user = UserFactory()
    holders = [
        places.request_places(
            offering, quantity=1, reference=f"H-{n}", booked_by=user, audience=Audience.PUBLIC
        )
        for n in range(10)
    ]
    barrier = threading.Barrier(50)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            if n < 10:
                places.release_places(holders[n])
            else:
                places.request_places(
                    offering, quantity=1, reference=f"R-{n}", booked_by=user, audience="public"
                )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(50)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []
    assert offering.places_taken() == 10
    assert Booking.objects.filter(status__in=places.ACTIVE).count() == 40
    connections.close_all()
