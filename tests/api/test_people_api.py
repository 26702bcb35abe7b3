"""API v1, referrals, absence requests, funding and the public directory: the flows through the API alone,
each refusal (status, French reason, nothing written), who sees what (others 404) and who acts (others 403),
list queries, schema."""

import contextlib
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clea.absences import services as absences
from clea.absences.models import AbsenceRequest
from clea.dossiers import services as dossiers
from clea.dossiers.models import Candidate, Dossier, DossierEvent
from clea.evaluations import services as evaluations
from clea.evaluations.services import dossier_assessment
from clea.funding.models import FundingLine
from clea.geography.models import Region
from clea.organisations.models import OrganisationKind, Role
from clea.referentiel.models import Criterion
from clea.referrals.models import Referral
from clea.referrals.services import accept_referral, send_referral
from tests.api.errors import invalid
from tests.api.test_dossiers_api import GAPS, A, N, candidate_payload, client_for, grid_entries
from tests.conftest import candidate_data
from tests.directory import test_directory as directory_tests
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
# The directory screens' fixture: five evaluator organisations, three of them habilitated today.
listed = directory_tests.listed

V1 = "/api/v1"
NOT_AUTHENTICATED = "Informations d'authentification non fournies."
NOT_PRESCRIBER = "Réservé aux conseillers et administrateurs d'un prescripteur (organisme courant)."
NOT_RECIPIENT = "Réservé à l'organisme évaluateur à qui la personne est orientée."
NOT_EMPLOYER = "Seul l'employeur du salarié répond à une demande d'autorisation d'absence."
NOT_YOUR_DOSSIER = "Seuls les évaluateurs et administrateurs de l'organisme qui suit ce dossier peuvent le modifier."
ALREADY_ANSWERED = "Cette orientation a déjà reçu une réponse."
# Everyone of the matrix; None is anonymous.
WHO = ["prescriber", "evaluator", "outsider", "trainer", "hr", "certifier", None]


def today():
    return timezone.localdate()


def day(offset: int) -> str:
    return (today() + datetime.timedelta(days=offset)).isoformat()


def api(s, who):
    return client_for(s[who] if who else None)


@pytest.fixture
def people(path_setting):
    """The path setting, with a staff member of the employer and the prescriber's organisation at hand."""
    s = path_setting
    hr = MembershipFactory(organisation=s["employer"], role=Role.EMPLOYER_CONTACT).user
    return {**s, "hr": hr, "prescriber_org": s["prescriber"].memberships.get().organisation}


def counts() -> dict:
    """Everything these endpoints write, to prove that a refusal wrote nothing."""
    snapshot: dict = {
        m.__name__: m.objects.count() for m in (Referral, Candidate, Dossier, DossierEvent, AbsenceRequest, FundingLine)
    }
    snapshot["referrals"] = sorted(
        Referral.objects.values_list("pk", "status", "dossier_id", "answered_at", "decline_reason")
    )
    snapshot["absences"] = sorted(
        AbsenceRequest.objects.values_list("pk", "status", "answered_at", "refusal_reason", "other_start_date")
    )
    return snapshot


@pytest.fixture
def nothing_written(django_capture_on_commit_callbacks):
    """Same rows before and after, and no notification waiting for a commit."""

    @contextlib.contextmanager
    def check():
        before = counts()
        with django_capture_on_commit_callbacks() as callbacks:
            yield
        assert counts() == before
        assert callbacks == []

    return check


def assert_refused(response, code: int, detail: str, field=None):
    assert response.status_code == code, response.json()
    assert response.json() == {"detail": detail, "field": field}


# --- referrals -----------------------------------------------------------------------------------------


def referral_payload(s, **overrides) -> dict:
    data = {
        "evaluator_organisation": str(s["organisation"].public_id),
        "certification": "CLEA",
        "birth_name": "Martin",
        "first_names": "Paul",
        "birth_date": "1985-03-02",
        "email": "paul.martin@exemple.fr",
        "phone": "0611223344",
        "candidate_status": "job_seeker",
        "consent": True,
        "share_results": True,
        "note": "Préfère les rendez-vous du matin",
    }
    data.update(overrides)
    return data


def accept_payload(s, birth_name="Martin", **overrides) -> dict:
    data = {
        "candidate": candidate_payload(
            birth_name=birth_name,
            first_names="Paul",
            sex="M",
            birth_date="1985-03-02",
            birth_commune=None,
            birth_country="99350",
            email="paul.martin@exemple.fr",
        ),
        "consent": True,
        "evaluator": str(s["evaluator"].public_id),
    }
    data.update(overrides)
    return data


def send(s, *, birth_name="Martin", share_results=False, **overrides) -> Referral:
    params = dict(
        prescriber=s["prescriber_org"],
        adviser=s["prescriber"],
        evaluator_organisation=s["organisation"],
        certification=s["clea"],
        candidate_status="job_seeker",
        consent=True,
        share_results=share_results,
        note="",
        today=today(),
        person={"birth_name": birth_name, "first_names": "Paul", "birth_date": datetime.date(1985, 3, 2)},
    )
    params.update(overrides)
    return Referral.objects.get(pk=send_referral(**params).pk)


def close_initial(s, dossier, gaps=GAPS):
    """The préalable of a dossier, through the services: one sitting, GAPS not acquired, closed."""
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=today()
    )
    evaluations.add_sitting(
        initial, date=today(), start=datetime.time(9), end=datetime.time(12), place="Rennes", by=s["evaluator"]
    )
    codes = Criterion.objects.filter(version=dossier.referentiel_version).values_list("code", flat=True)
    evaluations.record_judgements(
        initial, grid_entries(initial, {c: (N if c in gaps else A) for c in codes}), by=s["evaluator"]
    )
    evaluations.close_evaluation(initial, by=s["evaluator"])
    dossier.refresh_from_db()
    return dossier


def test_prescriber_refers_evaluator_accepts_through_the_api(people, django_capture_on_commit_callbacks):
    s = people
    prescriber, evaluator = client_for(s["prescriber"]), client_for(s["evaluator"])

    with django_capture_on_commit_callbacks(execute=True) as sent:
        created = prescriber.post(f"{V1}/referrals/", referral_payload(s), format="json")
    assert created.status_code == 201, created.json()
    referral = created.json()
    assert len(sent) == 1
    assert (referral["status"], referral["status_label"]) == ("sent", "Envoyée")
    assert referral["prescriber"] == {"id": str(s["prescriber_org"].public_id), "name": s["prescriber_org"].name}
    assert referral["evaluator_organisation"]["name"] == "Évaluateur A"
    assert referral["adviser"]["id"] == str(s["prescriber"].public_id)
    assert (referral["birth_name"], referral["first_names"], referral["birth_date"]) == ("Martin", "Paul", "1985-03-02")
    assert (referral["certification"], referral["candidate_status"]) == ("CLEA", "job_seeker")
    assert referral["share_results"] is True and referral["note"] == "Préfère les rendez-vous du matin"
    assert referral["dossier"] is None and referral["results"] is None and referral["consent_at"]

    # The evaluator organisation finds it in its list and opens the dossier from it.
    received = evaluator.get(f"{V1}/referrals/").json()
    assert [r["id"] for r in received["results"]] == [referral["id"]]
    with django_capture_on_commit_callbacks(execute=True) as answered:
        accepted = evaluator.post(f"{V1}/referrals/{referral['id']}/accept/", accept_payload(s), format="json")
    assert accepted.status_code == 201, accepted.json()
    assert len(answered) == 2  # the candidate (dossier opened) and the prescriber (referral answered)
    dossier = accepted.json()
    assert dossier["id"] == str(Dossier.objects.get().public_id)
    assert (dossier["initiator"], dossier["prescriber_type"]) == ("prescriber", "cep")
    assert dossier["prescriber"] == {"id": str(s["prescriber_org"].public_id), "name": s["prescriber_org"].name}
    assert dossier["candidate_status"] == "job_seeker"  # from the referral
    assert dossier["candidate"]["full_name"] == "Paul MARTIN" and dossier["state"] == "information"
    detail = evaluator.get(f"{V1}/dossiers/{dossier['id']}/").json()
    assert detail["initiator"] == "prescriber" and detail["timeline"][0]["kind"] == "opened"

    # The prescriber follows the referral, not the dossier itself.
    followed = prescriber.get(f"{V1}/referrals/").json()["results"][0]
    assert (followed["status"], followed["status_label"]) == ("accepted", "Acceptée : dossier ouvert")
    assert followed["dossier"] == {"id": dossier["id"], "state": "information", "state_label": "Information"}
    assert followed["answered_at"] and followed["results"] is None  # no préalable closed yet
    assert prescriber.get(f"{V1}/dossiers/{dossier['id']}/").status_code == 404


def test_shared_results_only_for_the_prescriber_and_only_with_consent(people):
    s = people
    prescriber, evaluator = client_for(s["prescriber"]), client_for(s["evaluator"])
    ids = {}
    for name, share in [("Martin", True), ("Petit", False)]:
        body = referral_payload(s, birth_name=name, share_results=share)
        ids[name] = prescriber.post(f"{V1}/referrals/", body, format="json").json()["id"]
        accepted = evaluator.post(
            f"{V1}/referrals/{ids[name]}/accept/", accept_payload(s, birth_name=name), format="json"
        )
        assert accepted.status_code == 201, accepted.json()
    for dossier in Dossier.objects.all():
        close_initial(s, dossier)

    shared = Dossier.objects.get(candidate__birth_name="Martin")
    expected = dossier_assessment(shared)
    rows = {r["id"]: r for r in prescriber.get(f"{V1}/referrals/").json()["results"]}
    assert rows[ids["Martin"]]["results"] == {
        "points": expected.points,
        "total": expected.total,
        "eligible": False,
        "complete": True,
        "missing_domains": [d.spec.code for d in expected.missing_domains],
    }
    assert rows[ids["Martin"]]["results"]["missing_domains"] == ["1", "2"]
    assert rows[ids["Martin"]]["dossier"]["state"] == "training"
    assert rows[ids["Petit"]]["results"] is None
    for who in ["evaluator", "certifier"]:
        assert {r["results"] is None for r in api(s, who).get(f"{V1}/referrals/").json()["results"]} == {True}, who


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        ("no_habilitation", "evaluator_organisation", "« Évaluateur A » n'est pas habilité aujourd'hui pour CléA : "),
        ("not_an_evaluator", "evaluator_organisation", "« Boulangerie Dupont » n'est pas habilité aujourd'hui "),
        ("no_consent", "consent", "Le consentement de la personne est nécessaire pour l'orienter."),
    ],
)
def test_referral_refused_by_the_rules(people, nothing_written, change, field, detail):
    s = people
    body = referral_payload(s)
    if change == "no_habilitation":
        s["habilitation"].delete()
    elif change == "not_an_evaluator":
        body["evaluator_organisation"] = str(s["employer"].public_id)
    else:
        body["consent"] = False
    with nothing_written():
        response = client_for(s["prescriber"]).post(f"{V1}/referrals/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert response.json()["detail"].startswith(detail)
    if change == "no_habilitation":
        assert response.json()["detail"].endswith("choisissez un organisme de l'annuaire.")


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"evaluator_organisation": "8d6f1c1e-0000-4000-8000-000000000000"},
            {
                "evaluator_organisation": [
                    "Aucun élément ne correspond à l'identifiant 8d6f1c1e-0000-4000-8000-000000000000."
                ]
            },
        ),
        ({"certification": "CAP"}, {"certification": ["Certification inconnue : CAP."]}),
        ({"birth_date": "1850-01-01"}, {"birth_date": ["Cette date de naissance n'est pas plausible."]}),
    ],
    ids=["unknown-organisation", "unknown-certification", "birth-date"],
)
def test_referral_field_errors_in_french(people, nothing_written, change, errors):
    with nothing_written():
        response = client_for(people["prescriber"]).post(
            f"{V1}/referrals/", referral_payload(people, **change), format="json"
        )
    assert response.status_code == 400
    assert response.json() == invalid(errors)


def test_referral_to_an_organisation_habilitated_outside_its_region_is_refused(people):
    s = people
    s["habilitation"].regions.set([Region.objects.get(code="84")])
    response = client_for(s["prescriber"]).post(f"{V1}/referrals/", referral_payload(s), format="json")
    assert response.status_code == 400, "sent; accepting it answers: " + str(
        client_for(s["evaluator"])
        .post(f"{V1}/referrals/{response.json()['id']}/accept/", accept_payload(s), format="json")
        .json()
    )


def test_accepting_twice_or_a_person_with_an_open_dossier_is_409(people, nothing_written):
    s = people
    evaluator = client_for(s["evaluator"])
    duplicate = send(s, birth_name="Durand")
    dossiers.open_dossier(
        organisation=s["organisation"],
        certification=s["clea"],
        candidate=candidate_data(s["rennes"], first_names="Paul", birth_date=datetime.date(1985, 3, 2)),
        candidate_status="job_seeker",
        initiator="self",
        consent=True,
        by=s["evaluator"],
        today=today(),
    )
    with nothing_written():
        response = evaluator.post(
            f"{V1}/referrals/{duplicate.public_id}/accept/", accept_payload(s, birth_name="DURAND"), format="json"
        )
    assert response.status_code == 409, response.json()
    assert response.json()["detail"].startswith("Cette personne a déjà un dossier CléA ouvert chez « Évaluateur A ».")
    assert response.json()["existing_organisation"] == "Évaluateur A"

    referral = send(s)
    first = evaluator.post(f"{V1}/referrals/{referral.public_id}/accept/", accept_payload(s), format="json")
    assert first.status_code == 201, first.json()
    with nothing_written():
        again = evaluator.post(
            f"{V1}/referrals/{referral.public_id}/accept/", accept_payload(s, birth_name="Autre"), format="json"
        )
        declined = evaluator.post(f"{V1}/referrals/{referral.public_id}/decline/", {"reason": "Non"}, format="json")
    assert_refused(again, 409, ALREADY_ANSWERED)
    assert_refused(declined, 409, ALREADY_ANSWERED)


@pytest.mark.parametrize(
    ("change", "detail", "field"),
    [
        ({"consent": False}, "Le consentement du candidat est nécessaire pour ouvrir son dossier.", "consent"),
        ("no_habilitation", "« Évaluateur A » n'a pas d'habilitation CléA valable le ", None),
        ("outsider_as_evaluator", "L'évaluateur référent doit appartenir à l'organisme.", "evaluator"),
    ],
    ids=["consent", "habilitation", "evaluator"],
)
def test_accept_refused_by_the_rules(people, nothing_written, change, detail, field):
    s = people
    referral = send(s)
    body = accept_payload(s)
    if change == "no_habilitation":
        s["habilitation"].delete()
    elif change == "outsider_as_evaluator":
        body["evaluator"] = str(s["outsider"].public_id)
    else:
        body.update(change)
    with nothing_written():
        response = client_for(s["evaluator"]).post(f"{V1}/referrals/{referral.public_id}/accept/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["detail"].startswith(detail) and response.json()["field"] == field


def test_accept_field_errors_in_french(people, nothing_written):
    s = people
    referral = send(s)
    body = accept_payload(s)
    body["candidate"] = {**body["candidate"], "postcode": "00000"}
    with nothing_written():
        response = client_for(s["evaluator"]).post(f"{V1}/referrals/{referral.public_id}/accept/", body, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(
        {"candidate": {"postcode": ["Ce code postal n'existe pas."]}},
        field="candidate.postcode",
        detail="Ce code postal n'existe pas.",
    )


def test_decline_needs_a_reason_the_prescriber_sees_it(people, nothing_written):
    s = people
    referral = send(s)
    url = f"{V1}/referrals/{referral.public_id}/decline/"
    evaluator = client_for(s["evaluator"])
    with nothing_written():
        blank = evaluator.post(url, {"reason": "  "}, format="json")
    assert_refused(blank, 400, "Indiquez le motif, il est transmis au prescripteur.", "reason")
    declined = evaluator.post(url, {"reason": "Complet jusqu'en mars"}, format="json")
    assert declined.status_code == 200, declined.json()
    assert (declined.json()["status"], declined.json()["decline_reason"]) == ("declined", "Complet jusqu'en mars")
    seen = client_for(s["prescriber"]).get(f"{V1}/referrals/").json()["results"][0]
    assert (seen["status_label"], seen["decline_reason"], seen["dossier"]) == (
        "Déclinée",
        "Complet jusqu'en mars",
        None,
    )


def test_only_a_prescribers_adviser_refers(people, nothing_written):
    s = people
    with nothing_written():
        for who in WHO[1:]:
            response = api(s, who).post(f"{V1}/referrals/", referral_payload(s), format="json")
            if who is None:
                assert_refused_anonymous(response)
            else:
                assert response.status_code == 403, who
                assert response.json()["detail"] == NOT_PRESCRIBER, who
    admin = MembershipFactory(organisation=s["prescriber_org"], role=Role.ADMIN).user
    assert client_for(admin).post(f"{V1}/referrals/", referral_payload(s), format="json").status_code == 201


def assert_refused_anonymous(response):
    assert response.status_code == 401
    assert response.json()["detail"] == NOT_AUTHENTICATED


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_who_answers_a_referral(people, nothing_written, action):
    """The recipient organisation answers (201/200); the prescriber and the certifier see the referral but
    may not answer (403); for anyone else it does not exist (404)."""
    s = people
    referral = send(s)
    url = f"{V1}/referrals/{referral.public_id}/{action}/"
    body = accept_payload(s) if action == "accept" else {"reason": "Complet"}
    expected = {"prescriber": 403, "certifier": 403, "outsider": 404, "trainer": 404, "hr": 404, None: 401}
    with nothing_written():
        for who, code in expected.items():
            response = api(s, who).post(url, body, format="json")
            assert response.status_code == code, (who, response.json())
            detail = {403: NOT_RECIPIENT, 404: "Orientation introuvable.", 401: NOT_AUTHENTICATED}[code]
            assert response.json()["detail"] == detail, who
    response = client_for(s["evaluator"]).post(url, body, format="json")
    assert response.status_code == (201 if action == "accept" else 200), response.json()


def test_who_sees_referrals(people):
    s = people
    send(s)
    seen = {"prescriber": 1, "evaluator": 1, "certifier": 1, "outsider": 0, "trainer": 0, "hr": 0}
    for who, count in seen.items():
        response = api(s, who).get(f"{V1}/referrals/")
        assert response.status_code == 200 and response.json()["count"] == count, who
    assert_refused_anonymous(api(s, None).get(f"{V1}/referrals/"))


def test_referral_list_filters_and_constant_queries(people):
    s = people
    prescriber = client_for(s["prescriber"])

    def listed_referrals(**params):
        with CaptureQueriesContext(connection) as context:
            response = prescriber.get(f"{V1}/referrals/", params)
        assert response.status_code == 200, response.json()
        return response.json(), len(context.captured_queries)

    def accepted_with_results(name):
        referral = send(s, birth_name=name, share_results=True)
        dossier = evaluator_accepts(s, referral, name)
        Dossier.objects.filter(pk=dossier.pk).update(initial_assessment_date=today())  # results now shown

    accepted_with_results("Nom0")
    one, one_queries = listed_referrals()
    for n in range(1, 5):
        accepted_with_results(f"Nom{n}")
    send(s, birth_name="Attente")
    many, many_queries = listed_referrals()
    assert (one["count"], many["count"]) == (1, 6)
    assert sum(r["results"] is not None for r in many["results"]) == 5
    assert one_queries == many_queries <= 10
    assert listed_referrals(status="sent")[0]["count"] == 1
    assert listed_referrals(status="accepted", certification="CLEA")[0]["count"] == 5
    assert listed_referrals(certification="CLEA_NUMERIQUE")[0]["count"] == 0


def evaluator_accepts(s, referral, birth_name):
    return accept_referral(
        referral,
        candidate=candidate_data(s["rennes"], birth_name=birth_name, first_names="Paul"),
        candidate_status="job_seeker",
        consent=True,
        by=s["evaluator"],
        today=today(),
    )


# --- absence requests ----------------------------------------------------------------------------------


@pytest.fixture
def employee(people):
    """An employee's dossier (employer: Boulangerie Dupont), held by Évaluateur A."""
    s = people
    dossier = dossiers.open_dossier(
        organisation=s["organisation"],
        certification=s["clea"],
        candidate=candidate_data(s["rennes"]),
        candidate_status="employee",
        employer=s["employer"],
        initiator="self",
        consent=True,
        evaluator=s["evaluator"],
        by=s["evaluator"],
        today=today(),
    )
    return {**s, "dossier": dossier}


def absence_body(*, requested_on=0, start=70, days=20, hours=35) -> dict:
    return {"requested_on": day(requested_on), "start_date": day(start), "end_date": day(start + days), "hours": hours}


def absence_url(e) -> str:
    return f"{V1}/dossiers/{e['dossier'].public_id}/absence-requests/"


def record_absence(e, *, requested_on=0, start=70) -> AbsenceRequest:
    return absences.request_absence(
        e["dossier"],
        requested_on=today() + datetime.timedelta(days=requested_on),
        start_date=today() + datetime.timedelta(days=start),
        end_date=today() + datetime.timedelta(days=start + 20),
        hours=35,
        by=e["evaluator"],
        today=today(),
    )


def test_late_absence_request_is_flagged_then_the_employer_offers_other_dates(employee, nothing_written):
    e = employee
    evaluator, hr = client_for(e["evaluator"]), client_for(e["hr"])
    created = evaluator.post(absence_url(e), absence_body(start=20), format="json")
    assert created.status_code == 201, created.json()
    request = created.json()
    assert request["dossier"] == {"id": str(e["dossier"].public_id), "candidate": "Léa DURAND", "certification": "CLEA"}
    assert request["employer"] == {"id": str(e["employer"].public_id), "name": "Boulangerie Dupont"}
    assert (request["notice_days"], request["latest_request_date"], request["request_late"]) == (60, day(-40), True)
    assert (request["answer_due"], request["status"], request["answered_by"]) == (day(30), "pending", None)
    timeline = evaluator.get(f"{V1}/dossiers/{e['dossier'].public_id}/").json()["timeline"]
    assert "(hors délai légal)" in timeline[-1]["summary"]

    # A training of six months or more needs 120 days of notice: asked 130 days before, it is on time.
    long = evaluator.post(absence_url(e), absence_body(start=130, days=200), format="json").json()
    assert (long["notice_days"], long["latest_request_date"], long["request_late"]) == (120, day(10), False)

    listed_for_hr = hr.get(f"{V1}/absence-requests/").json()
    assert {r["id"] for r in listed_for_hr["results"]} == {request["id"], long["id"]}
    url = f"{V1}/absence-requests/{request['id']}/answer/"
    with nothing_written():
        refused = hr.post(url, {"decision": "refused", "reason": ""}, format="json")
        no_dates = hr.post(url, {"decision": "other_dates", "other_start": day(90)}, format="json")
        unknown = hr.post(url, {"decision": "tacitly_accepted"}, format="json")
    assert_refused(refused, 400, absences.NO_REFUSAL, "decision")
    assert_refused(no_dates, 400, "Indiquez les autres dates (début puis fin).", "other_start")
    assert unknown.status_code == 400 and list(unknown.json()["errors"]) == ["decision"]
    answered = hr.post(url, {"decision": "other_dates", "other_start": day(90), "other_end": day(110)}, format="json")
    assert answered.status_code == 200, answered.json()
    answer = answered.json()
    assert (answer["status"], answer["status_label"]) == ("other_dates", "Acceptée à d'autres dates")
    assert (answer["other_start_date"], answer["other_end_date"]) == (day(90), day(110))
    assert answer["answered_by"]["id"] == str(e["hr"].public_id) and answer["answered_at"]
    with nothing_written():
        again = hr.post(url, {"decision": "accepted"}, format="json")
    assert_refused(again, 409, "Cette demande a déjà reçu une réponse.")
    seen = evaluator.get(f"{V1}/absence-requests/", {"status": "other_dates"}).json()
    assert [r["id"] for r in seen["results"]] == [request["id"]]
    assert evaluator.get(f"{V1}/absence-requests/", {"request_late": "true"}).json()["count"] == 1


def test_silence_is_acceptance_a_late_answer_is_409(employee, nothing_written):
    e = employee
    hr = client_for(e["hr"])
    created = client_for(e["evaluator"]).post(absence_url(e), absence_body(requested_on=-40), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["answer_due"] == day(-10)
    url = f"{V1}/absence-requests/{created.json()['id']}/answer/"
    due = (today() - datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    with nothing_written():
        overdue = hr.post(url, {"decision": "refused", "reason": "Pas en ce moment"}, format="json")
    assert_refused(overdue, 409, f"Le délai de réponse est dépassé depuis le {due} : le silence vaut acceptation.")

    assert absences.accept_silent_requests(today()) == 1  # the daily task
    assert hr.get(f"{V1}/absence-requests/").json()["results"][0]["status"] == "tacitly_accepted"
    with nothing_written():
        late = hr.post(url, {"decision": "accepted"}, format="json")
    assert_refused(
        late,
        409,
        f"Sans réponse au {due}, la demande a été acceptée tacitement : une réponse n'est plus possible.",
    )


def test_the_employer_may_answer_on_the_last_day(employee):
    e = employee
    created = client_for(e["evaluator"]).post(absence_url(e), absence_body(requested_on=-30), format="json").json()
    assert created["answer_due"] == day(0)
    assert absences.accept_silent_requests(today()) == 0
    answered = client_for(e["hr"]).post(
        f"{V1}/absence-requests/{created['id']}/answer/", {"decision": "accepted"}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("body", "code", "detail", "field"),
    [
        (absence_body(requested_on=1), 400, "La date de la demande ne peut pas être dans le futur.", "requested_on"),
        ({**absence_body(), "end_date": day(60)}, 400, "La formation doit finir après son début.", "end_date"),
        (absence_body(hours=0), 400, "Le nombre d'heures va de 1 à 2 000.", "hours"),
        (absence_body(hours=2001), 400, "Le nombre d'heures va de 1 à 2 000.", "hours"),
    ],
    ids=["future-request", "end-before-start", "no-hours", "too-many-hours"],
)
def test_absence_request_refused_by_the_rules(employee, nothing_written, body, code, detail, field):
    with nothing_written():
        response = client_for(employee["evaluator"]).post(absence_url(employee), body, format="json")
    assert_refused(response, code, detail, field)


def test_absence_request_needs_an_employee_of_an_open_dossier(employee, nothing_written):
    e = employee
    seeker = dossiers.open_dossier(
        organisation=e["organisation"],
        certification=e["clea"],
        candidate=candidate_data(e["rennes"], birth_name="Petit"),
        candidate_status="job_seeker",
        initiator="self",
        consent=True,
        by=e["evaluator"],
        today=today(),
    )
    evaluator = client_for(e["evaluator"])
    with nothing_written():
        response = evaluator.post(f"{V1}/dossiers/{seeker.public_id}/absence-requests/", absence_body(), format="json")
    assert_refused(
        response,
        400,
        "Une autorisation d'absence se demande à l'employeur que le candidat salarié associe à son parcours.",
    )
    dossiers.withdraw(e["dossier"], reason="Déménagement", by=e["evaluator"])
    with nothing_written():
        response = evaluator.post(absence_url(e), absence_body(), format="json")
    assert_refused(response, 409, "Ce dossier est fermé.")


def test_who_records_and_who_answers_an_absence_request(employee, nothing_written):
    e = employee
    request = record_absence(e)
    answer_url = f"{V1}/absence-requests/{request.public_id}/answer/"
    with nothing_written():
        for who in WHO:
            if who == "evaluator":
                continue
            response = api(e, who).post(absence_url(e), absence_body(), format="json")
            code = {"certifier": 403, None: 401}.get(who, 404)
            assert response.status_code == code, (who, response.json())
            assert (
                response.json()["detail"]
                == {
                    403: NOT_YOUR_DOSSIER,
                    404: "Dossier introuvable.",
                    401: NOT_AUTHENTICATED,
                }[code]
            )
        for who in WHO:
            if who == "hr":
                continue
            response = api(e, who).post(answer_url, {"decision": "accepted"}, format="json")
            code = {"evaluator": 403, "certifier": 403, None: 401}.get(who, 404)
            assert response.status_code == code, (who, response.json())
            assert (
                response.json()["detail"]
                == {
                    403: NOT_EMPLOYER,
                    404: "Demande d'autorisation d'absence introuvable.",
                    401: NOT_AUTHENTICATED,
                }[code]
            )
    assert api(e, "evaluator").post(absence_url(e), absence_body(), format="json").status_code == 201
    assert api(e, "hr").post(answer_url, {"decision": "accepted"}, format="json").status_code == 200


def test_who_sees_absence_requests(employee):
    e = employee
    record_absence(e)
    seen = {"hr": 1, "evaluator": 1, "certifier": 1, "prescriber": 0, "outsider": 0, "trainer": 0}
    for who, count in seen.items():
        response = api(e, who).get(f"{V1}/absence-requests/")
        assert response.status_code == 200 and response.json()["count"] == count, who
    assert_refused_anonymous(api(e, None).get(f"{V1}/absence-requests/"))


def test_absence_list_queries_are_constant(employee):
    e = employee
    hr = client_for(e["hr"])

    def listed_requests():
        with CaptureQueriesContext(connection) as context:
            response = hr.get(f"{V1}/absence-requests/")
        assert response.status_code == 200
        return response.json()["count"], len(context.captured_queries)

    record_absence(e)
    one = listed_requests()
    for n in range(3):
        other = dossiers.open_dossier(
            organisation=e["organisation"],
            certification=e["clea"],
            candidate=candidate_data(e["rennes"], birth_name=f"Nom{n}"),
            candidate_status="employee",
            employer=e["employer"],
            initiator="self",
            consent=True,
            by=e["evaluator"],
            today=today(),
        )
        record_absence({**e, "dossier": other}, start=20)
        absences.answer_absence(other.absence_requests.get(), decision="accepted", by=e["hr"], today=today())
    four = listed_requests()
    assert (one[0], four[0]) == (1, 4)
    assert one[1] == four[1] <= 6


# --- funding -------------------------------------------------------------------------------------------


def add_line(client, dossier, step, scheme, amount, state="planned", funder="OPCO 2i"):
    body = {"step": step, "scheme": scheme, "funder": funder, "amount": amount, "state": state}
    response = client.post(f"{V1}/dossiers/{dossier.public_id}/funding-lines/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_funding_lines_with_totals_per_step(employee):
    e = employee
    evaluator = client_for(e["evaluator"])
    url = f"{V1}/dossiers/{e['dossier'].public_id}/funding-lines/"
    empty = evaluator.get(url).json()
    assert (empty["lines"], empty["total"]) == ([], "0.00")
    assert [(t["step"], t["amount"]) for t in empty["totals"]] == [
        ("evaluation", "0.00"),
        ("training", "0.00"),
        ("final_evaluation", "0.00"),
    ]
    add_line(evaluator, e["dossier"], "evaluation", "cpf", "300.00", "agreed", "Caisse des dépôts")
    add_line(evaluator, e["dossier"], "training", "skills_plan", "1200.50")
    add_line(evaluator, e["dossier"], "training", "employer_top_up", "150.00", "paid")
    add_line(evaluator, e["dossier"], "training", "poe", "99.00", "refused")
    funding = evaluator.get(url).json()
    assert funding["dossier"] == str(e["dossier"].public_id)
    assert [(x["step"], x["scheme"], x["amount"]) for x in funding["lines"]] == [
        ("evaluation", "cpf", "300.00"),
        ("training", "skills_plan", "1200.50"),
        ("training", "employer_top_up", "150.00"),
        ("training", "poe", "99.00"),
    ]
    totals = {t["step"]: t for t in funding["totals"]}
    assert totals["evaluation"] | {"step_label": ""} == {
        "step": "evaluation",
        "step_label": "",
        "amount": "300.00",
        "planned": "0.00",
        "agreed": "300.00",
        "paid": "0.00",
        "refused": "0.00",
    }
    assert totals["evaluation"]["step_label"] == "Évaluation préalable"
    assert (totals["training"]["amount"], totals["training"]["refused"]) == ("1350.50", "99.00")
    assert (totals["training"]["planned"], totals["training"]["paid"]) == ("1200.50", "150.00")
    assert totals["final_evaluation"]["amount"] == "0.00"
    assert funding["total"] == "1650.50"


def test_funding_lines_list_filters_and_visibility(employee):
    e = employee
    evaluator = client_for(e["evaluator"])
    add_line(evaluator, e["dossier"], "evaluation", "cpf", "300.00", "agreed")
    add_line(evaluator, e["dossier"], "training", "cpf", "800.00")
    add_line(evaluator, e["dossier"], "training", "poe", "99.00", "refused")
    every = evaluator.get(f"{V1}/funding-lines/").json()
    assert every["count"] == 3
    assert every["results"][0]["dossier"] == {
        "id": str(e["dossier"].public_id),
        "candidate": "Léa DURAND",
        "certification": "CLEA",
        "evaluator_organisation": {"id": str(e["organisation"].public_id), "name": "Évaluateur A"},
    }
    for params, expected in [
        ({"step": "training"}, {"800.00", "99.00"}),
        ({"scheme": "cpf"}, {"300.00", "800.00"}),
        ({"state": "refused"}, {"99.00"}),
        ({"step": "training", "scheme": "cpf", "state": "planned"}, {"800.00"}),
        ({"step": "final_evaluation"}, set()),
    ]:
        assert {x["amount"] for x in evaluator.get(f"{V1}/funding-lines/", params).json()["results"]} == expected
    bad = evaluator.get(f"{V1}/funding-lines/", {"state": "gratuit"})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["state"]

    # The employer's staff see their employee's funding, as on their funding page (not the dossier itself).
    seen = {"evaluator": 3, "certifier": 3, "hr": 3, "prescriber": 0, "outsider": 0, "trainer": 0}
    for who, count in seen.items():
        assert api(e, who).get(f"{V1}/funding-lines/").json()["count"] == count, who
        code = 200 if count else 404
        assert api(e, who).get(f"{V1}/dossiers/{e['dossier'].public_id}/funding-lines/").status_code == code, who
    assert api(e, "hr").get(f"{V1}/dossiers/{e['dossier'].public_id}/").status_code == 404
    other_employer = MembershipFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.EMPLOYER), role=Role.EMPLOYER_CONTACT
    ).user
    assert client_for(other_employer).get(f"{V1}/funding-lines/").json()["count"] == 0
    assert client_for(other_employer).get(f"{V1}/dossiers/{e['dossier'].public_id}/funding-lines/").status_code == 404
    assert_refused_anonymous(api(e, None).get(f"{V1}/funding-lines/"))
    assert_refused_anonymous(api(e, None).get(f"{V1}/dossiers/{e['dossier'].public_id}/funding-lines/"))
    # Reading is not writing: the certifier may not add a line.
    refused = client_for(e["certifier"]).post(
        f"{V1}/dossiers/{e['dossier'].public_id}/funding-lines/",
        {"step": "training", "scheme": "cpf", "funder": "X", "amount": "1.00"},
        format="json",
    )
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_YOUR_DOSSIER
    # The employer records its own funding on its page (not in this API): here the dossier is not found.
    body = {"step": "training", "scheme": "employer_top_up", "funder": "Boulangerie Dupont", "amount": "1.00"}
    response = api(e, "hr").post(f"{V1}/dossiers/{e['dossier'].public_id}/funding-lines/", body, format="json")
    assert response.status_code == 404 and FundingLine.objects.count() == 3


def test_funding_list_queries_are_constant(employee):
    e = employee
    evaluator = client_for(e["evaluator"])

    def listed_lines():
        with CaptureQueriesContext(connection) as context:
            response = evaluator.get(f"{V1}/funding-lines/")
        assert response.status_code == 200
        return response.json()["count"], len(context.captured_queries)

    add_line(evaluator, e["dossier"], "evaluation", "cpf", "300.00")
    one = listed_lines()
    for n in range(3):
        other = dossiers.open_dossier(
            organisation=e["organisation"],
            certification=e["clea"],
            candidate=candidate_data(e["rennes"], birth_name=f"Nom{n}"),
            candidate_status="job_seeker",
            initiator="self",
            consent=True,
            by=e["evaluator"],
            today=today(),
        )
        add_line(evaluator, other, "training", "poe", "10.00")
    four = listed_lines()
    assert (one[0], four[0]) == (1, 4)
    assert one[1] == four[1] <= 5


# --- public directory ------------------------------------------------------------------------------------


def directory_names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [o["name"] for o in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Évaluateur Brest", "Évaluateur Lyon", "Évaluateur Rennes"]),
        ({"postcode": "35000"}, ["Évaluateur Rennes", "Évaluateur Brest"]),
        ({"commune": "29019"}, ["Évaluateur Brest", "Évaluateur Rennes"]),
        ({"departement": "29"}, ["Évaluateur Brest", "Évaluateur Rennes"]),
        ({"region": "84"}, ["Évaluateur Lyon"]),
        ({"postcode": "35000", "certification": "CLEA_NUMERIQUE"}, ["Évaluateur Brest"]),
        ({"postcode": "29200", "commune": "29019"}, ["Évaluateur Brest", "Évaluateur Rennes"]),
        ({"postcode": "75011"}, []),
    ],
    ids=["all", "postcode", "commune", "departement", "region", "certification", "postcode-and-commune", "none"],
)
def test_directory_search_like_the_page(client, listed, query, expected):
    assert directory_names(client_for(None).get(f"{V1}/directory/", query)) == expected
    page = client.get("/annuaire/", {"lieu": query.get("postcode") or query.get("commune", ""), **query})
    if "commune" not in query:  # the page takes a name or a postcode, not an INSEE code
        assert [o.name for o in page.context["page_obj"]] == expected


@pytest.mark.parametrize(
    ("query", "detail", "field"),
    [
        ({"postcode": "00000"}, "Ce code postal n'existe pas.", "postcode"),
        ({"postcode": "Rennes"}, "Ce code postal n'existe pas.", "postcode"),
        ({"commune": "99999"}, "Aucune commune n'a le code INSEE 99999.", "commune"),
        ({"postcode": "29200", "commune": "35238"}, "Cette commune ne correspond pas au code postal.", "commune"),
        ({"departement": "999"}, "Aucun département n'a le code 999.", "departement"),
        ({"region": "00"}, "Aucune région n'a le code 00.", "region"),
        ({"certification": "CAP"}, "Certification inconnue : CAP.", "certification"),
    ],
    ids=["postcode", "postcode-text", "commune", "commune-elsewhere", "departement", "region", "certification"],
)
def test_directory_unknown_place_is_400_in_french(listed, query, detail, field):
    assert_refused(client_for(None).get(f"{V1}/directory/", query), 400, detail, field)


def test_directory_detail_is_public_and_only_for_listed(listed):
    public = client_for(None)
    rennes = listed["rennes"]
    response = public.get(f"{V1}/directory/{rennes.public_id}/")
    assert response.status_code == 200, response.json()
    organisation = response.json()
    assert organisation["id"] == str(rennes.public_id) and organisation["name"] == "Évaluateur Rennes"
    assert (organisation["postcode"], organisation["commune"], organisation["departement"]) == (
        "35000",
        {"code": "35238", "name": "Rennes"},
        "35",
    )
    [habilitation] = organisation["habilitations"]
    assert (habilitation["certification"], habilitation["certification_name"]) == ("CLEA", "CléA")
    assert habilitation["regions"] == [{"code": "53", "name": "Bretagne"}]
    assert habilitation["valid_until"] == day(10)
    for hidden in ["expired", "future"]:
        response = public.get(f"{V1}/directory/{listed[hidden].public_id}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Organisme introuvable ou sans habilitation en cours."}
        assert listed[hidden].name not in directory_names(public.get(f"{V1}/directory/"))


def test_directory_needs_no_authentication_at_all(client, listed, people):
    """No authentication class: a wrong token or a session changes nothing; it is read-only."""
    wrong = client_for(None)
    wrong.credentials(HTTP_AUTHORIZATION="Token pas-un-jeton")
    assert len(directory_names(wrong.get(f"{V1}/directory/"))) == 4  # with the path setting's Évaluateur A
    client.force_login(people["certifier"])
    assert len(client.get(f"{V1}/directory/").json()["results"]) == 4
    refused = client_for(None).post(f"{V1}/directory/", {}, format="json")
    assert refused.status_code == 405


def test_directory_queries_are_constant(listed, referentiels):
    public = client_for(None)

    def run():
        with CaptureQueriesContext(connection) as context:
            response = public.get(f"{V1}/directory/", {"postcode": "35000"})
        return len(directory_names(response)), response.json()["count"], len(context.captured_queries)

    few = run()
    for index in range(25):
        directory_tests._evaluator(f"Évaluateur {index}", "35238", "35000", ["53"], referentiels["CLEA"].certification)
    many = run()
    assert (few[:2], many[:2]) == ((2, 2), (20, 27))  # 20 a page
    assert few[2] == many[2] <= 8
    assert len(directory_names(public.get(f"{V1}/directory/", {"postcode": "35000", "page": 2}))) == 7


# --- schema ----------------------------------------------------------------------------------------------


def test_schema_documents_these_endpoints(client):
    schema = client.get(f"{V1}/schema/?format=json").json()
    operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    for operation_id in [
        "referrals_list",
        "referrals_create",
        "referrals_accept",
        "referrals_decline",
        "absence_requests_list",
        "dossiers_absence_requests_create",
        "absence_requests_answer",
        "dossiers_funding_lines_retrieve",
        "dossiers_funding_lines_create",
        "funding_lines_list",
        "directory_list",
        "directory_retrieve",
    ]:
        assert operations[operation_id]["summary"], operation_id
    assert {p["name"] for p in operations["directory_list"]["parameters"]} == {
        "region",
        "departement",
        "postcode",
        "commune",
        "certification",
        "page",
    }
    assert {p["name"] for p in operations["funding_lines_list"]["parameters"]} >= {"step", "scheme", "state", "page"}
    assert "security" not in operations["directory_list"] and "security" not in operations["directory_retrieve"]
    assert (
        "409" in operations["referrals_accept"]["responses"]
        and "409" in operations["absence_requests_answer"]["responses"]
    )
