"""Two issuances at the same time never share a number, and a rolled-back one leaves no gap.

Real threads, each with its own database connection, on PostgreSQL (committed data: transactional
test). SQLite runs every write transaction in IMMEDIATE mode, so two issuances cannot overlap there:
the sequential tests in test_issue.py cover it.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from clea.certificates.models import Certificate, CertificateCounter
from clea.certificates.services import issue_certificate
from clea.geography.loading import load_geography
from tests.certificates.builders import certified_copies, closed_session, dossier_awaiting_jury

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises write transactions (IMMEDIATE mode): concurrent issuance needs PostgreSQL.",
    ),
]


@pytest.fixture
def geography(transactional_db):
    """A transactional test flushes every table when it ends: these tests need only Rennes (present
    when this is the worker's first flush, created otherwise)."""
    from clea.geography.models import Commune, Departement, Region

    region, _ = Region.objects.get_or_create(code="53", defaults={"name": "Bretagne"})
    departement, _ = Departement.objects.get_or_create(
        code="35", defaults={"name": "Ille-et-Vilaine", "region": region}
    )
    Commune.objects.get_or_create(code="35238", defaults={"name": "Rennes", "departement": departement})


@pytest.fixture(scope="module", autouse=True)
def _geography_back_for_later_tests(django_db_setup, django_db_blocker):
    """Put the session-wide geography back after this module's last flush."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            load_geography()
            connections.close_all()


def run_in_threads(*targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except Exception as exc:  # reported by the test
                errors.append(exc)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "un fil d'exécution est resté bloqué"
    return errors


def test_two_threads_issuing_for_the_same_certification_and_year(path_setting):
    s = path_setting
    session = closed_session(s)
    decisions = certified_copies(s, dossier_awaiting_jury(s), session, 24)
    start = threading.Barrier(2)

    def issue(chunk):
        def run():
            start.wait(timeout=10)
            for decision in chunk:
                issue_certificate(decision, by=s["certifier"])

        return run

    # No counter row yet: the two threads also race to create it.
    assert not CertificateCounter.objects.exists()
    errors = run_in_threads(issue(decisions[0::2]), issue(decisions[1::2]))
    assert errors == []
    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 25))
    assert Certificate.objects.values("number").distinct().count() == 24
    assert CertificateCounter.objects.get().last_sequence == 24


@pytest.mark.parametrize("first_commits", [True, False])
def test_the_second_issuance_waits_for_the_first(path_setting, first_commits):
    """While one transaction holds the counter, the other waits; if the first rolls back, the second
    gets its number (no gap)."""
    s = path_setting
    session = closed_session(s)
    first, second = certified_copies(s, dossier_awaiting_jury(s), session, 2)
    # The year's counter exists already: only its row lock can make the second issuance wait.
    CertificateCounter.objects.create(certification=s["clea"], year=session.date.year)
    numbered, release, second_done = threading.Event(), threading.Event(), threading.Event()

    class Abandon(Exception):
        pass

    def hold():
        try:
            with transaction.atomic():
                issue_certificate(first, by=s["certifier"])
                numbered.set()
                release.wait(timeout=20)
                if not first_commits:
                    raise Abandon
        except Abandon:
            pass

    def follow():
        numbered.wait(timeout=20)
        issue_certificate(second, by=s["certifier"])
        second_done.set()

    holder = threading.Thread(target=lambda: (hold(), connection.close()))
    holder.start()
    assert numbered.wait(timeout=20)
    follower_errors = []

    def follower():
        try:
            follow()
        except Exception as exc:
            follower_errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=follower)
    thread.start()
    assert not second_done.wait(timeout=1.0), "la seconde émission n'a pas attendu le verrou du compteur"
    release.set()
    holder.join(timeout=20)
    thread.join(timeout=20)
    assert follower_errors == []
    issued = dict(Certificate.objects.values_list("decision_id", "sequence"))
    if first_commits:
        assert issued == {first.pk: 1, second.pk: 2}
    else:
        assert issued == {second.pk: 1}
