"""Each role lands on its work: the home page's queues, their counts and links, at constant cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clea.geography.models import Region
from clea.jury import services as jury
from clea.organisations.models import OrganisationKind
from tests.clock import TODAY
from tests.dossiers.builders import open_dossier

pytestmark = pytest.mark.django_db

# Who sees which queue (titles, in the page's order); the candidate is sent to their own space.
QUEUES = {
    "evaluator": ["Vos dossiers", "Demandes de réunion d'information", "Orientations"],
    # An evaluator organisation's administrator also answers requests on personal data.
    "outsider": [
        "Vos dossiers",
        "Demandes de réunion d'information",
        "Données personnelles",
        "Orientations",
        "Habilitation",
    ],
    "trainer": ["Parcours de formation"],
    "prescriber": ["Vos orientations"],
    "employer": ["Demandes d'autorisation d'absence à traiter"],
    "jury_organiser": ["Sessions de jury"],
    "jury_member": [],
    "certifier": ["Certificats", "Candidatures à l'habilitation", "Audits qualité", "Habilitations"],
}


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("pages:dashboard"))
    assert response.status_code == 200
    return response


def lines(response) -> dict[str, int]:
    """Every queue line shown, label → count."""
    return {item.label: item.count for queue in response.context["queues"] for item in queue.items if item.count}


@pytest.mark.parametrize("role", sorted(QUEUES))
def test_each_role_gets_its_own_queues(client, cast, path_setting, role):
    cast.dossier  # noqa: B018 (Léa's dossier: referred, in training, an absence request to her employer)
    response = dashboard(client, cast.user(role))
    assert [queue.title for queue in response.context["queues"]] == QUEUES[role]


def test_the_candidate_goes_to_their_space(client, cast, path_setting):
    client.force_login(cast.candidate)
    assert client.get(reverse("pages:dashboard")).url == reverse("candidates:home")


def test_counts_are_each_organisations_own(client, cast, path_setting):
    cast.dossier  # noqa: B018
    assert lines(dashboard(client, cast.evaluator)) == {"En formation : évaluation finale à prévoir": 1}
    assert lines(dashboard(client, cast.outsider)) == {}
    assert lines(dashboard(client, cast.prescriber)) == {"Acceptées : dossier ouvert": 1}
    trainer = lines(dashboard(client, cast.trainer))
    assert trainer["Parcours en cours"] == 1 and trainer["Dont ceux que vous suivez"] == 1


def test_the_evaluator_sees_what_waits_and_the_urgent_first(client, cast, path_setting):
    cast.transfer_request  # noqa: B018 (asked by the outsider's organisation: Léa's holder answers it)
    open_dossier(path_setting, birth_name="Bernard")  # just opened: meeting and préalable to come
    response = dashboard(client, cast.evaluator)
    queue = response.context["queues"][0]
    shown = [(item.label, item.count) for item in queue.sorted_items() if item.count]
    assert shown == [
        ("Demandes de transfert à accepter ou refuser", 1),
        ("Ouverts : réunion d'information et évaluation préalable à faire", 1),
        ("En formation : évaluation finale à prévoir", 1),
    ]
    assert reverse("dossiers:detail", args=[cast.dossier.public_id]) in response.content.decode()


def test_the_employer_sees_each_request_with_its_answer_by_date(client, cast, path_setting):
    absence = cast.absence_request
    body = dashboard(client, cast.employer).content.decode()
    assert "Léa" in body and reverse("absences:answer", args=[absence.public_id]) in body
    assert f"répondre au plus tard le {absence.answer_due.day}" in body


def test_the_certifier_sees_the_awards_to_issue(client, cast, path_setting):
    cast.jury_session  # noqa: B018 (closed today with one award, no certificate yet)
    assert lines(dashboard(client, cast.certifier))["Certificats à émettre (sessions closes)"] == 1
    cast.certificate  # noqa: B018
    shown = lines(dashboard(client, cast.certifier))
    assert "Certificats à émettre (sessions closes)" not in shown
    assert shown["Certificats à imprimer et envoyer"] == 1


def test_the_jury_member_sees_their_next_sitting(client, cast, path_setting):
    session = jury.create_session(
        organiser=cast.jury_organisation,
        date=TODAY + datetime.timedelta(days=10),
        start=datetime.time(14),
        place="Rennes",
        remote=False,
        region=Region.objects.get(code="53"),
        certifications=[cast.clea],
        by=cast.jury_organiser,
    )
    jury.add_member(session, full_name="Brigitte Salariée", college="employees", user=cast.jury_member)
    response = dashboard(client, cast.jury_member)
    assert [q.title for q in response.context["queues"]] == ["Vos prochains jurys"]
    assert reverse("jury:detail", args=[session.public_id]) in response.content.decode()
    organiser = lines(dashboard(client, cast.jury_organiser))
    assert organiser == {"Sessions à venir : membres et dossiers à préparer": 1}


def test_the_home_page_costs_the_same_for_one_dossier_or_many(client, cast, path_setting):
    client.force_login(cast.evaluator)
    open_dossier(path_setting, birth_name="Un")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("pages:dashboard")).status_code == 200
        return len(captured)

    few = queries()
    for name in ("Deux", "Trois", "Quatre"):
        open_dossier(path_setting, birth_name=name)
    cast.dossier  # noqa: B018
    assert queries() == few


@pytest.mark.parametrize(("query", "state"), [("etat=training", "training"), ("echeance=1", "")])
def test_home_links_set_the_list_filter(client, cast, path_setting, query, state):
    cast.dossier  # noqa: B018
    open_dossier(path_setting, birth_name="Bernard")
    client.force_login(cast.evaluator)
    response = client.get(f"{reverse('dossiers:list')}?{query}")
    assert response.status_code == 302 and response.url == reverse("dossiers:list")
    listed = list(client.get(response.url).context["page_obj"])
    if state:
        assert [d.state for d in listed] == [state]
    else:
        assert listed == []  # no 5-year limit within 6 months


def test_an_unknown_filter_in_a_link_is_refused_plainly(client, cast, path_setting):
    client.force_login(cast.evaluator)
    response = client.get(f"{reverse('dossiers:list')}?etat=inconnu", follow=True)
    assert "Ce filtre n&#x27;existe pas" in response.content.decode()
    assert not response.context["filtered"]


def test_queues_are_asked_of_the_current_organisation_kind(cast, path_setting):
    from clea.lib.worklist import queues
    from clea.organisations.current import CurrentOrganisation

    evaluator_org = cast.organisation
    assert evaluator_org.kind == OrganisationKind.EVALUATOR
    current = CurrentOrganisation(evaluator_org, frozenset({"evaluator"}))
    titles = [q.title for q in queues(cast.evaluator, current, TODAY)]
    assert titles == ["Vos dossiers", "Demandes de réunion d'information", "Orientations"]
    assert queues(cast.evaluator, CurrentOrganisation(), TODAY) == []
