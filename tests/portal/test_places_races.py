"""The places engine under real concurrency (PostgreSQL): many connections, one per thread,
racing for places, capacity and one person's time, on the models of tests/places_app."""

import threading

import pytest
from django.db import connection, connections

from portal import places
from portal.places import HoldingStatus
from tests.places_app.builders import person, shift, sign_up
from tests.places_app.models import SignUp


def _run(threads: int, work) -> list:
    """Start `threads` threads together; each runs work(n). Returns what each returned (or
    the exception it raised)."""
    barrier = threading.Barrier(threads)
    results = [None] * threads

    def worker(n):
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as exc:  # noqa: BLE001 - returned and asserted by the test
            results[n] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    connections.close_all()
    return results


def _statuses(results) -> list[str]:
    return [r.status if isinstance(r, SignUp) else type(r).__name__ for r in results]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixty_connections_racing_for_ten_places_never_oversell():
    offering = shift(capacity=10)
    people = [person(f"P{n}") for n in range(60)]
    results = _statuses(_run(60, lambda n: sign_up(offering, people[n])))
    assert results.count(HoldingStatus.CONFIRMED) == 10
    assert results.count(HoldingStatus.WAITING) == 50
    assert SignUp.objects.count() == 60  # none lost
    assert offering.places_taken() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_requests_cancellations_and_a_capacity_raise_keep_the_count_exact():
    offering = shift(capacity=10)
    holders = [sign_up(offering) for _ in range(10)]
    people = [person(f"P{n}") for n in range(50)]

    def work(n):
        if n < 10:
            return places.release_places(holders[n])
        if n == 10:
            return places.set_capacity(offering, 15)
        return sign_up(offering, people[n])

    results = _run(50, work)
    assert not [r for r in results if isinstance(r, Exception)]
    offering.refresh_from_db()
    assert offering.capacity == 15 and offering.places_taken() == 15
    assert SignUp.objects.filter(status__in=places.ACTIVE).count() == 39
    # The invariant between writes: nothing free is left unoffered to the waiting list.
    assert SignUp.objects.filter(status=HoldingStatus.WAITING).count() == 39 - 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_racing_for_twelve_overlapping_shifts_gets_one():
    alex = person("Alex")
    # Twelve offerings (so no offering lock orders them): only the person lock can.
    shifts = [shift(hour=0, hours=2) for _ in range(12)]
    results = _statuses(_run(12, lambda n: sign_up(shifts[n], alex)))
    assert results.count(HoldingStatus.CONFIRMED) == 1
    assert results.count("Overlaps") == 11
    assert SignUp.objects.filter(person=alex).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_places_freed_at_once_on_two_overlapping_shifts_offer_a_person_only_one():
    for _round in range(5):
        alex, sam = person("Alex"), person("Sam")
        first, second = shift(capacity=1), shift(capacity=1, hour=1)
        holders = [sign_up(first), sign_up(second)]
        for offering in (first, second):
            sign_up(offering, alex)
            sign_up(offering, sam)
        _run(2, lambda n, holders=holders: places.release_places(holders[n]))
        offered = SignUp.objects.filter(status=HoldingStatus.OFFERED, shift__in=[first, second])
        assert sorted(offered.values_list("person__name", flat=True)) == ["Alex", "Sam"]
        assert first.places_taken() == second.places_taken() == 1
