"""Suspending and withdrawing a habilitation (docs/rules.md rule 21): effective dates, refusals, impact."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from clea.dossiers.services import habilitation_covering
from clea.lib.errors import RuleViolation
from clea.organisations import services
from clea.organisations.models import Habilitation, Suspension
from clea.quality.impact import impact_of_measure
from tests.clock import TODAY
from tests.factories import HabilitationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("path_setting")]

D = datetime.date
START, END = D(2026, 1, 1), D(2028, 12, 31)


def _habilitation(*, withdrawn_on=None, suspensions=()) -> Habilitation:
    habilitation = HabilitationFactory(valid_from=START, valid_until=END, withdrawn_on=withdrawn_on)
    by = UserFactory()
    for starts_on, ends_on, lifted in suspensions:
        Suspension.objects.create(
            habilitation=habilitation,
            starts_on=starts_on,
            ends_on=ends_on,
            reason="Audit",
            created_by=by,
            lifted_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC) if lifted else None,
        )
    return habilitation


@pytest.mark.parametrize(
    ("withdrawn_on", "suspensions", "day", "valid"),
    [
        (None, [], D(2026, 12, 9), True),
        (None, [], D(2025, 12, 31), False),  # before its period
        (None, [], D(2029, 1, 1), False),  # after its period
        (D(2026, 12, 10), [], D(2026, 12, 9), True),  # the day before the withdrawal takes effect
        (D(2026, 12, 10), [], D(2026, 12, 10), False),  # its effective day
        (D(2026, 12, 10), [], D(2027, 6, 1), False),
        (None, [(D(2026, 12, 5), D(2026, 12, 20), False)], D(2026, 12, 4), True),
        (None, [(D(2026, 12, 5), D(2026, 12, 20), False)], D(2026, 12, 5), False),
        (None, [(D(2026, 12, 5), D(2026, 12, 20), False)], D(2026, 12, 20), False),
        (None, [(D(2026, 12, 5), D(2026, 12, 20), False)], D(2026, 12, 21), True),
        (None, [(D(2026, 12, 5), None, False)], D(2028, 6, 1), False),  # until lifted
        (None, [(D(2026, 12, 5), None, True)], D(2028, 6, 1), True),  # lifted
        (None, [(D(2026, 1, 5), D(2026, 1, 9), False), (D(2026, 12, 5), None, False)], D(2026, 6, 1), True),
    ],
)
def test_a_habilitation_is_valid_in_its_period_unless_withdrawn_or_suspended(withdrawn_on, suspensions, day, valid):
    habilitation = _habilitation(withdrawn_on=withdrawn_on, suspensions=suspensions)
    assert Habilitation.objects.valid_on(day).filter(pk=habilitation.pk).exists() is valid
    assert Habilitation.objects.prefetch_related("suspensions").get(pk=habilitation.pk).covers(day) is valid


class TestQueryAndPythonAgree(HypothesisTestCase):
    """``valid_on`` (SQL, used by every check) and ``covers`` (Python, used on a loaded row) never disagree."""

    @settings(max_examples=40, deadline=None)
    @given(
        withdrawn=st.one_of(st.none(), st.integers(0, 60)),
        suspensions=st.lists(
            st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30)), st.booleans()), max_size=3
        ),
        day=st.integers(-5, 70),
    )
    def test_valid_on_matches_covers(self, withdrawn, suspensions, day):
        base = D(2026, 12, 1)
        habilitation = _habilitation(
            withdrawn_on=None if withdrawn is None else base + datetime.timedelta(withdrawn),
            suspensions=[
                (
                    base + datetime.timedelta(start),
                    None if length is None else base + datetime.timedelta(start + length),
                    lifted,
                )
                for start, length, lifted in suspensions
            ],
        )
        when = base + datetime.timedelta(day)
        loaded = Habilitation.objects.prefetch_related("suspensions").get(pk=habilitation.pk)
        assert Habilitation.objects.valid_on(when).filter(pk=habilitation.pk).exists() is loaded.covers(when)


def test_a_measure_dated_in_the_past_is_refused_and_nothing_is_written(cast):
    habilitation, certifier = cast.habilitation, cast.certifier
    yesterday = TODAY - datetime.timedelta(days=1)
    with pytest.raises(RuleViolation, match="La date d'effet ne peut pas être passée"):
        services.withdraw_habilitation(habilitation, reason="Audit", effective_on=yesterday, by=certifier, today=TODAY)
    with pytest.raises(RuleViolation, match="La date d'effet ne peut pas être passée"):
        services.suspend_habilitation(
            habilitation, reason="Audit", starts_on=yesterday, ends_on=None, by=certifier, today=TODAY
        )
    habilitation.refresh_from_db()
    assert habilitation.withdrawn_on is None and habilitation.withdrawn_at is None
    assert not habilitation.suspensions.exists()


@pytest.mark.parametrize(
    ("first", "second", "refused"),
    [
        ((0, 10), (5, 20), True),
        ((0, 10), (11, 20), False),
        ((0, None), (100, 120), True),  # an open-ended suspension covers everything after it
        ((10, 20), (0, 9), False),
        ((10, 20), (0, None), True),
    ],
)
def test_suspensions_of_one_habilitation_do_not_overlap(cast, first, second, refused):
    def suspend(period):
        start, end = period
        return services.suspend_habilitation(
            cast.habilitation,
            reason="Audit",
            starts_on=TODAY + datetime.timedelta(start),
            ends_on=None if end is None else TODAY + datetime.timedelta(end),
            by=cast.certifier,
            today=TODAY,
        )

    suspend(first)
    if refused:
        with pytest.raises(RuleViolation, match="Une suspension couvre déjà"):
            suspend(second)
        assert cast.habilitation.suspensions.count() == 1
    else:
        suspend(second)
        assert cast.habilitation.suspensions.count() == 2


def test_a_withdrawn_habilitation_cannot_be_withdrawn_or_suspended_again(cast):
    services.withdraw_habilitation(
        cast.habilitation, reason="Audit", effective_on=TODAY, by=cast.certifier, today=TODAY
    )
    with pytest.raises(RuleViolation, match="déjà retirée"):
        services.withdraw_habilitation(
            cast.habilitation, reason="Encore", effective_on=TODAY, by=cast.certifier, today=TODAY
        )
    with pytest.raises(RuleViolation, match="déjà retirée"):
        services.suspend_habilitation(
            cast.habilitation, reason="Encore", starts_on=TODAY, ends_on=None, by=cast.certifier, today=TODAY
        )
    assert Habilitation.objects.get(pk=cast.habilitation.pk).withdrawal_reason == "Audit"


def test_from_its_day_a_suspension_stops_evaluations_of_open_dossiers(cast):
    dossier = cast.dossier
    starts = TODAY + datetime.timedelta(days=7)
    services.suspend_habilitation(
        cast.habilitation, reason="Audit", starts_on=starts, ends_on=None, by=cast.certifier, today=TODAY
    )
    organisation, certification = dossier.evaluator_organisation, dossier.certification
    assert habilitation_covering(organisation, certification, starts - datetime.timedelta(days=1)) is not None
    assert habilitation_covering(organisation, certification, starts) is None


def test_the_impact_counts_the_open_dossiers_per_state_in_constant_queries(cast, django_assert_max_num_queries):
    dossier = cast.dossier
    with django_assert_max_num_queries(3):
        impact = impact_of_measure(cast.habilitation, TODAY)
    assert impact.by_state == [(dossier.state_label, 1)]
    assert impact.open_dossiers == 1
    assert impact.other_habilitations == []


def _post(client, habilitation, kind, **data):
    return client.post(reverse(f"quality:{kind}", args=[habilitation.public_id]), {"reason": "Audit", **data})


def test_the_certifier_sees_the_impact_then_confirms_a_withdrawal(client, cast):
    assert cast.dossier.is_open  # an open dossier at the organisation
    client.force_login(cast.certifier)
    day = (TODAY + datetime.timedelta(days=10)).isoformat()

    shown = client.get(reverse("quality:withdraw", args=[cast.habilitation.public_id]))
    assert shown.status_code == 200
    assert "dossier" in shown.content.decode() and "en cours chez cet organisme" in shown.content.decode()

    previewed = _post(client, cast.habilitation, "withdraw", effective_on=day)
    assert previewed.status_code == 200
    assert "Confirmer le retrait" in previewed.content.decode()
    assert Habilitation.objects.get(pk=cast.habilitation.pk).withdrawn_on is None  # nothing written yet

    changed = _post(client, cast.habilitation, "withdraw", effective_on=day, impact_for=TODAY.isoformat())
    assert changed.status_code == 200  # another day than the one shown: its impact is shown first
    assert Habilitation.objects.get(pk=cast.habilitation.pk).withdrawn_on is None

    confirmed = _post(client, cast.habilitation, "withdraw", effective_on=day, impact_for=day)
    assert confirmed.status_code == 302
    habilitation = Habilitation.objects.get(pk=cast.habilitation.pk)
    assert habilitation.withdrawn_on.isoformat() == day and habilitation.withdrawn_by == cast.certifier
    page = client.get(reverse("organisations:detail", args=[cast.organisation.public_id])).content.decode()
    assert "retrait prévu le" in page


def test_a_past_date_gets_a_french_error_on_the_form(client, cast):
    client.force_login(cast.certifier)
    past = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = _post(client, cast.habilitation, "suspend", effective_on=past, impact_for=past)
    assert response.status_code == 400
    assert "La date d&#x27;effet ne peut pas être passée" in response.content.decode()
    assert not Suspension.objects.exists()


def test_a_suspension_is_confirmed_then_lifted_with_who_and_when(client, cast):
    client.force_login(cast.certifier)
    day, end = TODAY.isoformat(), (TODAY + datetime.timedelta(days=30)).isoformat()
    response = _post(client, cast.habilitation, "suspend", effective_on=day, ends_on=end, impact_for=day)
    assert response.status_code == 302
    suspension = Suspension.objects.get()
    assert suspension.created_by == cast.certifier and suspension.ends_on.isoformat() == end
    assert not Habilitation.objects.valid_on(TODAY).filter(pk=cast.habilitation.pk).exists()

    assert client.post(reverse("quality:lift", args=[suspension.public_id])).status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_by == cast.certifier and suspension.lifted_at is not None
    assert Habilitation.objects.valid_on(TODAY).filter(pk=cast.habilitation.pk).exists()
    again = client.post(reverse("quality:lift", args=[suspension.public_id]), follow=True)
    assert "déjà levée" in again.content.decode()


def test_an_end_before_the_start_is_refused(client, cast):
    client.force_login(cast.certifier)
    end = (TODAY + datetime.timedelta(days=5)).isoformat()
    start = (TODAY + datetime.timedelta(days=9)).isoformat()
    response = _post(client, cast.habilitation, "suspend", effective_on=start, ends_on=end, impact_for=start)
    assert response.status_code == 400
    assert "La fin de la suspension doit suivre son début" in response.content.decode()
    assert not Suspension.objects.exists()
