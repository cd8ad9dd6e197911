"""Catalogue speed with 2,000 sessions, and bookings per second from 20 concurrent clients.

Run with PostgreSQL: DATABASE_URL=postgres://... make bench
Prints the figures; asserts only correctness (nothing oversold), never timings.
"""

import statistics
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.models import Audience, Booking, Session
from portal.localities import Locality
from portal.places import TAKING_PLACES
from tests.courses import helpers
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.bench,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SESSIONS = 2000
CLIENTS = 20
BOOKINGS_PER_CLIENT = 25


@pytest.fixture
def many_sessions(home_page):
    courses = [helpers.course(home_page, title=f"Course {n}", topics=["Risk"]) for n in range(6)]
    start = timezone.now() + timedelta(days=2)
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    Session.objects.bulk_create(
        Session(
            course=courses[n % len(courses)],
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=90),
            online=n % 3 == 0,
            venue="" if n % 3 == 0 else "Civic Centre",
            locality=localities["online" if n % 3 == 0 else ["north", "central", "south"][n % 3]],
            capacity=5 + n % 20,
        )
        for n in range(SESSIONS)
    )
    return courses


def test_catalogue_with_2000_sessions(client, home_page, many_sessions):
    index = helpers.training_index(home_page)
    urls = [index.url, index.url + "?page=50", index.url + "?topic=risk&where=north"]
    for url in urls:
        client.get(url)
    timings, queries = [], []
    for n in range(30):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(urls[n % len(urls)])
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
        queries.append(len(captured))
    print(
        f"\ncatalogue, {SESSIONS} sessions: median {statistics.median(timings) * 1000:.1f} ms, "
        f"max {max(timings) * 1000:.1f} ms, queries per page {min(queries)}-{max(queries)}"
    )


def test_bookings_per_second_from_20_clients(home_page):
    course = helpers.course(home_page, title="Busy course")
    sessions = [helpers.session(course, capacity=10, days=3 + n) for n in range(20)]
    clients = [UserFactory() for _ in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)
    outcomes: list[str] = []
    errors: list[Exception] = []

    def client_loop(index):
        try:
            barrier.wait()
            for n in range(BOOKINGS_PER_CLIENT):
                session = sessions[(index + n) % len(sessions)]
                booking = services.book(
                    session=session,
                    user=clients[index],
                    audience=Audience.PUBLIC,
                    attendees=[
                        services.AttendeeDetails(f"C{index} B{n}", f"c{index}-b{n}@example.com")
                    ],
                )
                outcomes.append(booking.status)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert errors == []
    oversold = 0
    for session in sessions:
        taken = (
            Booking.objects.filter(session=session, status__in=TAKING_PLACES).aggregate(
                n=Sum("quantity")
            )["n"]
            or 0
        )
        oversold += max(taken - session.capacity, 0)
    total = len(outcomes)
    print(
        f"\n{CLIENTS} concurrent clients: {total} bookings in {elapsed:.2f} s = "
        f"{total / elapsed:.1f} bookings/s ({outcomes.count('confirmed')} confirmed, "
        f"{outcomes.count('waiting')} waiting); oversold: {oversold}"
    )
    assert oversold == 0
    assert Booking.objects.count() == CLIENTS * BOOKINGS_PER_CLIENT
    connections.close_all()
