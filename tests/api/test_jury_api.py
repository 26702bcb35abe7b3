"""API v1, jury: a whole deliberation through the API alone, each refusal (status, French reason, nothing
written), who sees a session (others 404) and who acts on it (others 403), list queries, schema."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clea.dossiers.models import Dossier, DossierEvent
from clea.evaluations.models import CriterionJudgement
from clea.geography.models import Region
from clea.jury import services
from clea.jury.models import Decision, JuryMember, JurySession, SessionDossier
from clea.organisations.models import OrganisationKind, Role
from clea.referentiel.models import Criterion
from tests.api.errors import invalid
from tests.api.test_dossiers_api import client_for
from tests.dossiers.builders import dossier_awaiting_jury
from tests.factories import MembershipFactory, OrganisationFactory
from tests.jury import conftest as jury_conftest

pytestmark = pytest.mark.django_db
# The jury screens' fixture (tests/jury/conftest.py): an organiser in Bretagne, a session, one member per college.
jury_setting = jury_conftest.jury_setting
SESSIONS = "/api/v1/jury-sessions/"
QUORUM_MISSING_EMPLOYEES = (
    "Quorum non atteint : il faut au moins 1 membre(s) présent(s) dans chaque collège ; "
    "manque : salariés (0 présent(s)). La session ne peut pas décider."
)
CLOSED = "La session est close : son procès-verbal est signé, plus rien n'y change."
NOT_ORGANISER = "Réservé à l'organisateur du jury."


def url(session, suffix: str = "") -> str:
    public_id = session["id"] if isinstance(session, dict) else session.public_id
    return f"{SESSIONS}{public_id}/{suffix}"


def counts() -> dict:
    """Everything the jury writes, to prove that a refusal wrote nothing."""
    snapshot: dict = {m.__name__: m.objects.count() for m in (JurySession, JuryMember, SessionDossier, Decision)}
    snapshot["events"] = sorted(DossierEvent.objects.values_list("dossier_id", "kind"))
    snapshot["presence"] = sorted(JuryMember.objects.values_list("pk", "present", "attendance_recorded_at"))
    snapshot["states"] = sorted(Dossier.objects.values_list("pk", "state"))
    snapshot["sessions"] = sorted(JurySession.objects.values_list("pk", "status", "minutes_sha256"))
    return snapshot


def make_ineligible(j, dossier):
    """A later correction makes 1.1.1 and 1.1.2 not acquired: the engine no longer says eligible."""
    evaluation = dossier.evaluations.get()
    for code in ("1.1.1", "1.1.2"):
        CriterionJudgement.objects.create(
            evaluation=evaluation,
            judgement="not_acquired",
            recorded_by=j["evaluator"],
            criterion=Criterion.objects.get(version=dossier.referentiel_version, code=code),
            correction_reason="test",
        )
    return dossier


def present(j, *members):
    services.record_attendance(j["session"], present_ids={m.pk for m in members}, by=j["organiser"])


def all_present(j):
    present(j, j["employer_rep"], j["employee_rep"], j["neutral"])


@pytest.fixture
def on_session(jury_setting):
    """The fixture's session with one clean dossier put on it; nobody marked present yet."""
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    [entry] = services.put_on_session(j["session"], [dossier], by=j["organiser"])
    return {**j, "dossier": dossier, "entry": entry, "api": client_for(j["organiser"])}


def decision_url(j, entry=None) -> str:
    return url(j["session"], f"entries/{(entry or j['entry']).public_id}/decision/")


# --- the whole deliberation through the API alone ------------------------------------------------------


def test_whole_deliberation_through_the_api(jury_setting):
    j = jury_setting
    organiser_org = j["session"].organiser
    clean = dossier_awaiting_jury(j, birth_name="Martin")
    ineligible = make_ineligible(j, dossier_awaiting_jury(j, birth_name="Petit"))
    api = client_for(j["organiser"])

    created = api.post(
        SESSIONS,
        {
            "date": "2026-11-27",
            "start": "14:00",
            "place": "Rennes, Transitions Pro",
            "region": "53",
            "certifications": ["CLEA"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    session = created.json()
    assert session["organiser"] == {"id": str(organiser_org.public_id), "name": organiser_org.name}
    assert (session["status"], session["status_label"]) == ("planned", "Prévue")
    assert session["region"] == {"code": "53", "name": "Bretagne"}
    assert (session["start"], session["certifications"], session["members"]) == ("14:00", ["CLEA"], [])
    assert session["quorum"]["reached"] is False
    assert session["quorum"]["message"].startswith("Quorum non atteint")
    assert session["can_organise"] is True and session["minutes_sha256"] == ""
    assert {d["id"] for d in session["awaiting"]} == {str(clean.public_id), str(ineligible.public_id)}
    assert {d["candidate"] for d in session["awaiting"]} == {"Léa MARTIN", "Léa PETIT"}

    # Members by college; one comes from the candidates' evaluator organisation and will not vote.
    members = {}
    for full_name, college, organisation in [
        ("Alain Patron", "employers", None),
        ("Brigitte Salariée", "employees", None),
        ("Denis Évaluateur", "employees", j["organisation"]),
    ]:
        body = {"full_name": full_name, "college": college}
        if organisation:
            body["organisation"] = str(organisation.public_id)
        response = api.post(url(session, "members/"), body, format="json")
        assert response.status_code == 201, response.json()
        members[full_name] = response.json()
    assert members["Alain Patron"]["college_label"] == "Collège employeurs"
    assert members["Denis Évaluateur"]["organisation"]["name"] == "Évaluateur A"
    assert members["Denis Évaluateur"]["present"] is False

    put = api.post(
        url(session, "dossiers/"), {"dossiers": [str(clean.public_id), str(ineligible.public_id)]}, format="json"
    )
    assert put.status_code == 201, put.json()
    entries = {e["dossier"]["id"]: e for e in put.json()}
    clean_entry, ineligible_entry = entries[str(clean.public_id)], entries[str(ineligible.public_id)]
    assert clean_entry["clean"] is True and clean_entry["precheck_problems"] == []
    assert clean_entry["dossier"]["state"] == "at_jury" and clean_entry["decision"] is None
    assert ineligible_entry["clean"] is False
    assert ineligible_entry["precheck_problems"][0].startswith("Le moteur de décision ne le déclare pas éligible")
    detail = api.get(url(session)).json()
    assert detail["awaiting"] == [] and detail["dossier_count"] == 2 and detail["decided_count"] == 0

    attendance = api.put(url(session, "attendance/"), {"present": [m["id"] for m in members.values()]}, format="json")
    assert attendance.status_code == 200, attendance.json()
    assert attendance.json()["quorum"] == {
        "reached": True,
        "message": "Quorum atteint : chaque collège a des membres présents.",
    }
    assert all(m["present"] and m["attendance_recorded_at"] for m in attendance.json()["members"])

    decided = api.post(
        url(session, f"entries/{ineligible_entry['id']}/decision/"),
        {"outcome": "adjourned", "reasons": "Domaine 1 à revoir", "votes_for": 2},
        format="json",
    )
    assert decided.status_code == 201, decided.json()
    decision = decided.json()["decision"]
    assert (decision["outcome"], decision["outcome_label"]) == ("adjourned", "Ajourné")
    assert (decision["votes_for"], decision["votes_against"], decision["votes_abstain"]) == (2, 0, 0)
    assert decision["excluded_members"] == [{"id": members["Denis Évaluateur"]["id"], "full_name": "Denis Évaluateur"}]
    assert decision["decided_by"]["id"] == str(j["organiser"].public_id)
    assert decided.json()["dossier"]["state"] == "adjourned"

    awarded = api.post(url(session, "award-clean/"))
    assert awarded.status_code == 200, awarded.json()
    entry = next(e for e in awarded.json()["entries"] if e["id"] == clean_entry["id"])
    assert entry["decision"]["outcome"] == "awarded" and entry["decision"]["votes_for"] == 2
    assert entry["decision"]["reasons"] == "Décision commune des dossiers sans anomalie"
    assert awarded.json()["decided_count"] == 2

    closed = api.post(url(session, "close/"))
    assert closed.status_code == 200, closed.json()
    closed = closed.json()
    assert (closed["status"], closed["status_label"]) == ("closed", "Close (procès-verbal signé)")
    assert len(closed["minutes_sha256"]) == 64 and closed["closed_at"]
    assert closed["closed_by"]["id"] == str(j["organiser"].public_id)

    minutes = api.get(url(session, "minutes/"))
    assert minutes.status_code == 200
    assert minutes["Content-Type"] == "application/pdf"
    assert minutes["Content-Disposition"] == 'attachment; filename="proces-verbal-jury-2026-11-27.pdf"'
    assert minutes.content.startswith(b"%PDF")
    assert hashlib.sha256(minutes.content).hexdigest() == closed["minutes_sha256"]
    asked = api.get(url(session, "minutes/"), HTTP_ACCEPT="application/pdf")
    assert asked.status_code == 200 and asked.content == minutes.content

    assert Dossier.objects.get(pk=clean.pk).state == "certified"
    assert Dossier.objects.get(pk=ineligible.pk).state == "adjourned"
    assert list(clean.events.order_by("pk").values_list("kind", flat=True))[-2:] == ["on_session", "decided"]
    listed = {s["id"]: s for s in api.get(SESSIONS).json()["results"]}
    assert listed[session["id"]] | {"date": None} == {
        **{k: closed[k] for k in listed[session["id"]]},
        "date": None,
    }
    assert (listed[session["id"]]["dossier_count"], listed[session["id"]]["decided_count"]) == (2, 2)


# --- refusals: status, French reason, nothing written ----------------------------------------------------


def test_no_decision_without_quorum(on_session):
    j = on_session
    present(j, j["employer_rep"], j["neutral"])
    before = counts()
    response = j["api"].post(decision_url(j), {"outcome": "awarded", "votes_for": 2}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": QUORUM_MISSING_EMPLOYEES, "field": None}
    together = j["api"].post(url(j["session"], "award-clean/"))
    assert together.status_code == 409
    assert together.json() == {"detail": QUORUM_MISSING_EMPLOYEES, "field": None}
    detail = j["api"].get(url(j["session"])).json()
    assert detail["quorum"] == {"reached": False, "message": QUORUM_MISSING_EMPLOYEES}
    assert counts() == before


def test_ineligible_dossier_cannot_be_awarded(jury_setting):
    j = jury_setting
    dossier = make_ineligible(j, dossier_awaiting_jury(j))
    [entry] = services.put_on_session(j["session"], [dossier], by=j["organiser"])
    all_present(j)
    api = client_for(j["organiser"])
    before = counts()
    response = api.post(decision_url(j, entry), {"outcome": "awarded", "votes_for": 3}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Le moteur de décision ne déclare pas ce dossier éligible : ")
    assert response.json()["field"] is None
    # Not clean: it is not part of the joint decision either.
    together = api.post(url(j["session"], "award-clean/"))
    assert together.status_code == 409
    assert together.json() == {"detail": "Aucun dossier sans anomalie à décider.", "field": None}
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"outcome": "awarded", "votes_for": 1},
            {
                "detail": "La décision doit réunir la majorité absolue des 3 votant(s) (2 voix pour).",
                "field": "votes_for",
            },
        ),
        (
            {"outcome": "awarded", "votes_for": 2, "votes_against": 1, "votes_abstain": 1},
            {
                "detail": "4 voix pour 3 votant(s) : le décompte dépasse le nombre de membres qui votent.",
                "field": "votes_for",
            },
        ),
        (
            {"outcome": "not_awarded", "reasons": "  ", "votes_for": 3},
            {"detail": "Motivez la décision.", "field": "reasons"},
        ),
        (
            {"outcome": "awarded", "votes_for": -1},
            invalid({"votes_for": ["Assurez-vous que cette valeur est supérieure ou égale à\xa00."]}),
        ),
        (
            {"outcome": "peut-être", "votes_for": 3},
            invalid({"outcome": ["«\xa0peut-être\xa0» n'est pas un choix valide."]}),
        ),
        ({"outcome": "awarded"}, invalid({"votes_for": ["Ce champ est obligatoire."]})),
    ],
    ids=["no-majority", "too-many-votes", "no-reasons", "negative", "unknown-outcome", "no-votes"],
)
def test_bad_decisions_are_400(on_session, body, expected):
    j = on_session
    all_present(j)
    before = counts()
    response = j["api"].post(decision_url(j), body, format="json")
    assert response.status_code == 400
    assert response.json() == expected
    assert counts() == before


def test_member_from_the_candidates_employer_does_not_vote(on_session):
    j = on_session
    Dossier.objects.filter(pk=j["dossier"].pk).update(employer=j["employer"], candidate_status="employee")
    all_present(j)
    before = counts()
    response = j["api"].post(decision_url(j), {"outcome": "awarded", "votes_for": 3}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "3 voix pour 2 votant(s) : le décompte dépasse le nombre de membres qui votent.",
        "field": "votes_for",
    }
    assert counts() == before
    response = j["api"].post(decision_url(j), {"outcome": "awarded", "votes_for": 2}, format="json")
    assert response.status_code == 201, response.json()
    assert [m["full_name"] for m in response.json()["decision"]["excluded_members"]] == ["Alain Patron"]


def test_a_decision_is_never_changed(on_session):
    j = on_session
    all_present(j)
    assert j["api"].post(decision_url(j), {"outcome": "awarded", "votes_for": 3}, format="json").status_code == 201
    before = counts()
    again = j["api"].post(
        decision_url(j), {"outcome": "not_awarded", "reasons": "Erreur", "votes_for": 3}, format="json"
    )
    assert again.status_code == 409
    assert again.json() == {"detail": "Ce dossier a déjà reçu sa décision : elle ne se modifie pas.", "field": None}
    assert counts() == before
    assert Decision.objects.get().outcome == "awarded"


def test_closed_session_refuses_every_change(on_session):
    j = on_session
    all_present(j)
    services.decide(j["entry"], outcome="awarded", reasons="", votes_for=3, by=j["organiser"])
    services.close_session(j["session"], by=j["organiser"])
    waiting = dossier_awaiting_jury(j, birth_name="Tardif")
    before = counts()
    for method, suffix, body in [
        (
            "post",
            f"entries/{j['entry'].public_id}/decision/",
            {"outcome": "not_awarded", "reasons": "x", "votes_for": 3},
        ),
        ("post", "members/", {"full_name": "Tard Venu", "college": "employers"}),
        ("put", "attendance/", {"present": [str(j["neutral"].public_id)]}),
        ("post", "dossiers/", {"dossiers": [str(waiting.public_id)]}),
        ("post", "award-clean/", {}),
        ("post", "close/", {}),
    ]:
        response = getattr(j["api"], method)(url(j["session"], suffix), body, format="json")
        assert response.status_code == 409, (suffix, response.json())
        assert response.json() == {"detail": CLOSED, "field": None}, suffix
    assert counts() == before
    detail = j["api"].get(url(j["session"])).json()
    assert detail["awaiting"] == [] and detail["status"] == "closed"


def test_closing_needs_every_dossier_decided(on_session):
    j = on_session
    before = counts()
    response = j["api"].post(url(j["session"], "close/"))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "1 dossier(s) sans décision : décidez-les avant de clore la session.",
        "field": None,
    }
    empty = services.create_session(
        organiser=j["session"].organiser,
        date=j["session"].date,
        start=None,
        place="",
        remote=True,
        region=j["session"].region,
        certifications=[j["clea"]],
        by=j["organiser"],
    )
    before = counts()
    response = j["api"].post(url(empty, "close/"))
    assert response.status_code == 409
    assert response.json() == {"detail": "Aucun dossier n'a été examiné : rien à clore.", "field": None}
    assert counts() == before


def test_putting_dossiers_on_refusals(on_session):
    j = on_session
    api, session = j["api"], j["session"]
    waiting = dossier_awaiting_jury(j, birth_name="Suivant")
    elsewhere = services.create_session(
        organiser=session.organiser,
        date=session.date,
        start=None,
        place="Paris",
        remote=False,
        region=Region.objects.get(code="11"),
        certifications=[j["clea"]],
        by=j["organiser"],
    )
    before = counts()
    # A dossier of another region is unknown to that session: nothing about it is told.
    response = api.post(url(elsewhere, "dossiers/"), {"dossiers": [str(waiting.public_id)]}, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(
        {
            "dossiers": [
                "Aucun dossier en attente de jury dans la région de la session ne correspond à l'identifiant "
                f"{waiting.public_id}."
            ]
        }
    )
    assert api.post(url(session, "dossiers/"), {"dossiers": []}, format="json").json() == invalid(
        {"dossiers": ["Choisissez au moins un dossier."]}
    )
    not_a_uuid = api.post(url(session, "dossiers/"), {"dossiers": ["abc"]}, format="json")
    assert not_a_uuid.status_code == 400 and list(not_a_uuid.json()["errors"]["dossiers"]) == ["0"]
    # All or nothing: the waiting dossier is not put on because the other one already is.
    both = api.post(
        url(session, "dossiers/"), {"dossiers": [str(waiting.public_id), str(j["dossier"].public_id)]}, format="json"
    )
    assert both.status_code == 409
    assert both.json() == {
        "detail": "Seul un dossier présenté au jury (ou ajourné) peut être inscrit à une session. "
        "(état actuel : En jury.)",
        "field": None,
    }
    assert counts() == before


def test_attendance_and_member_refusals(on_session):
    j = on_session
    api, session = j["api"], j["session"]
    other = services.create_session(
        organiser=session.organiser,
        date=session.date,
        start=None,
        place="",
        remote=True,
        region=session.region,
        certifications=[j["clea"]],
        by=j["organiser"],
    )
    stranger = services.add_member(other, full_name="Ailleurs", college="employees")
    before = counts()
    response = api.put(url(session, "attendance/"), {"present": [str(stranger.public_id)]}, format="json")
    assert response.status_code == 400
    assert response.json() == invalid(
        {"present": [f"Aucun membre de cette session ne correspond à l'identifiant {stranger.public_id}."]}
    )
    missing = api.put(url(session, "attendance/"), {}, format="json").json()
    assert missing == invalid({"present": ["Ce champ est obligatoire."]})
    blank = api.post(url(session, "members/"), {"full_name": " ", "college": "employers"}, format="json")
    assert blank.status_code == 400
    assert blank.json() == {"detail": "Indiquez le nom du membre.", "field": "full_name"}
    college = api.post(url(session, "members/"), {"full_name": "X", "college": "cadres"}, format="json")
    assert college.status_code == 400 and list(college.json()["errors"]) == ["college"]
    assert counts() == before


def test_creating_a_session_refusals(jury_setting):
    j = jury_setting
    body = {"date": "2026-11-27", "place": "Rennes", "region": "53", "certifications": ["CLEA"]}
    api = client_for(j["organiser"])
    before = counts()
    for changes, expected in [
        ({"place": ""}, {"detail": "Indiquez le lieu, ou cochez « à distance ».", "field": "place"}),
        ({"certifications": []}, {"detail": "Choisissez au moins une certification.", "field": "certifications"}),
        ({"region": "99"}, invalid({"region": ["Aucune région n'a le code 99."]})),
        (
            {"certifications": ["CLEA_MANAGEMENT"]},
            invalid({"certifications": ["Certification inconnue : CLEA_MANAGEMENT."]}),
        ),
    ]:
        response = api.post(SESSIONS, {**body, **changes}, format="json")
        assert response.status_code == 400, changes
        assert response.json() == expected
    other = OrganisationFactory(kind=OrganisationKind.JURY_ORGANISER)
    response = api.post(SESSIONS, {**body, "organiser": str(other.public_id)}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous n'agissez pas pour cet organisme."}
    for who in ["jury_member", "certifier", "evaluator", "trainer", "prescriber"]:
        response = client_for(j[who]).post(SESSIONS, body, format="json")
        assert response.status_code == 403, who
        assert response.json() == {"detail": "Réservé aux organisateurs de jury."}
    assert client_for(None).post(SESSIONS, body, format="json").status_code == 401
    assert counts() == before
    remote = api.post(SESSIONS, {**body, "place": "", "remote": True}, format="json")
    assert remote.status_code == 201 and remote.json()["remote"] is True


def test_organiser_of_two_organisations_chooses(jury_setting):
    j = jury_setting
    first = j["session"].organiser
    second = OrganisationFactory(kind=OrganisationKind.JURY_ORGANISER, name="Zz Transitions Pro Normandie")
    MembershipFactory(user=j["organiser"], organisation=second, role=Role.ADMIN)
    body = {"date": "2026-11-27", "remote": True, "region": "28", "certifications": ["CLEA"]}
    session = APIClient()  # a browser session acts for either organisation; a token for its own alone
    session.force_login(j["organiser"])
    chosen = session.post(SESSIONS, {**body, "organiser": str(second.public_id)}, format="json")
    assert chosen.status_code == 201, chosen.json()
    assert chosen.json()["organiser"]["id"] == str(second.public_id)
    default = session.post(SESSIONS, body, format="json")
    assert default.json()["organiser"]["id"] == str(first.public_id)
    token = client_for(j["organiser"], organisation=second)
    assert token.post(SESSIONS, body, format="json").json()["organiser"]["id"] == str(second.public_id)


# --- visibility (404) and permissions (403) ----------------------------------------------------------------


@pytest.fixture
def world(on_session):
    """A session with a dossier on it, everyone present, another dossier waiting, a seated outside member,
    and the organiser of another jury."""
    j = on_session
    all_present(j)
    waiting = dossier_awaiting_jury(j, birth_name="Suivant")
    seated = MembershipFactory(organisation=j["employer"], role=Role.ADMIN).user
    services.add_member(j["session"], full_name="Siège Employeur", college="employers", user=seated)
    other_org = OrganisationFactory(kind=OrganisationKind.JURY_ORGANISER)
    other_organiser = MembershipFactory(organisation=other_org, role=Role.JURY_ORGANISER).user
    return {**j, "waiting": waiting, "seated": seated, "other_organiser": other_organiser}


ENDPOINTS = [
    ("get", ""),
    ("get", "minutes/"),
    ("post", "members/"),
    ("put", "attendance/"),
    ("post", "dossiers/"),
    ("post", "entries/{entry}/decision/"),
    ("post", "award-clean/"),
    ("post", "close/"),
]
WRITES = [(m, s) for m, s in ENDPOINTS if m != "get"]


def call(client, method, suffix, w):
    # Bodies the organiser would get accepted: a refusal cannot come from the input.
    bodies = {
        "members/": {"full_name": "Nouveau Membre", "college": "employees"},
        "attendance/": {"present": [str(w["employee_rep"].public_id), str(w["neutral"].public_id)]},
        "dossiers/": {"dossiers": [str(w["waiting"].public_id)]},
        "entries/{entry}/decision/": {"outcome": "awarded", "votes_for": 3},
    }
    path = url(w["session"], suffix.format(entry=w["entry"].public_id))
    return getattr(client, method)(path, bodies.get(suffix, {}), format="json")


@pytest.mark.parametrize(("method", "suffix"), ENDPOINTS, ids=[f"{m} {s or 'detail'}" for m, s in ENDPOINTS])
def test_outsiders_get_404(world, method, suffix):
    before = counts()
    # The evaluator organisation holding the dossier, other organisations, another jury's organiser.
    for who in ["evaluator", "org_admin", "outsider", "trainer", "prescriber", "other_organiser"]:
        response = call(client_for(world[who]), method, suffix, world)
        assert response.status_code == 404, (who, response.status_code)
        assert response["Content-Type"] == "application/json", who
        assert response.json() == {"detail": "Session de jury introuvable."}, who
    assert counts() == before


@pytest.mark.parametrize(("method", "suffix"), ENDPOINTS, ids=[f"{m} {s or 'detail'}" for m, s in ENDPOINTS])
def test_anonymous_is_401(world, method, suffix):
    response = call(client_for(None), method, suffix, world)
    assert response.status_code == 401
    assert response.json() == {"detail": "Informations d'authentification non fournies."}


def reader(world, who):
    """The member seated by name reads through their browser session: the seat is theirs, not their
    organisation's, and an API token acts for one organisation only."""
    if who != "seated":
        return client_for(world[who])
    session = APIClient()
    session.force_login(world[who])
    return session


@pytest.mark.parametrize(("method", "suffix"), WRITES, ids=[f"{m} {s}" for m, s in WRITES])
def test_members_and_certifier_see_but_do_not_act(world, method, suffix):
    before = counts()
    # Staff of the organiser who only sit on juries, a member seated by name, the certifier.
    for who in ["jury_member", "seated", "certifier"]:
        response = call(reader(world, who), method, suffix, world)
        assert response.status_code == 403, (who, response.json())
        assert response.json() == {"detail": NOT_ORGANISER}, who
    assert counts() == before


@pytest.mark.parametrize("who", ["jury_member", "seated", "certifier"])
def test_members_and_certifier_read_the_session(world, who):
    detail = reader(world, who).get(url(world["session"]))
    assert detail.status_code == 200
    data = detail.json()
    assert data["can_organise"] is False
    # Dossiers waiting in the region are the organiser's business only.
    assert data["awaiting"] == []
    assert [e["dossier"]["id"] for e in data["entries"]] == [str(world["dossier"].public_id)]
    assert len(data["members"]) == 4 and data["quorum"]["reached"] is True
    assert {s["id"] for s in reader(world, who).get(SESSIONS).json()["results"]} == {str(world["session"].public_id)}
    organiser_view = client_for(world["organiser"]).get(url(world["session"])).json()
    assert [d["id"] for d in organiser_view["awaiting"]] == [str(world["waiting"].public_id)]


def test_draft_minutes_for_whoever_sees_the_session(world):
    response = client_for(world["jury_member"]).get(url(world["session"], "minutes/"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert JurySession.objects.get(pk=world["session"].pk).minutes is None


def test_entry_of_another_session_is_404(world):
    w = world
    other = services.create_session(
        organiser=w["session"].organiser,
        date=w["session"].date,
        start=None,
        place="",
        remote=True,
        region=w["session"].region,
        certifications=[w["clea"]],
        by=w["organiser"],
    )
    before = counts()
    response = w["api"].post(
        url(other, f"entries/{w['entry'].public_id}/decision/"), {"outcome": "awarded", "votes_for": 3}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Dossier introuvable dans cette session."}
    assert counts() == before


# --- list: visibility, filters, a constant number of queries -----------------------------------------------


def test_list_visibility_filters_and_constant_queries(world):
    w = world
    api = client_for(w["organiser"])

    def list_queries(query=""):
        with CaptureQueriesContext(connection) as context:
            response = api.get(SESSIONS + query)
        assert response.status_code == 200, response.json()
        return len(context.captured_queries), response.json()

    one, data = list_queries()
    assert data["count"] == 1
    assert data["results"][0]["dossier_count"] == 1 and data["results"][0]["decided_count"] == 0
    for n in range(4):
        session = services.create_session(
            organiser=w["session"].organiser,
            date=w["session"].date,
            start=None,
            place=f"Salle {n}",
            remote=False,
            region=Region.objects.get(code="53" if n % 2 else "28"),
            certifications=[w["clea"]],
            by=w["organiser"],
        )
        services.add_member(session, full_name=f"Membre {n}", college="employers", organisation=w["employer"])
    services.decide(w["entry"], outcome="awarded", reasons="", votes_for=3, by=w["organiser"])
    services.close_session(w["session"], by=w["organiser"])
    five, data = list_queries()
    assert data["count"] == 5
    assert one == five <= 6
    closed = next(s for s in data["results"] if s["id"] == str(w["session"].public_id))
    assert closed["decided_count"] == 1 and len(closed["minutes_sha256"]) == 64
    assert list_queries("?status=closed")[1]["count"] == 1
    assert list_queries("?region=28")[1]["count"] == 2
    bad = api.get(SESSIONS + "?status=fini")
    assert bad.status_code == 400
    assert bad.json() == invalid({"status": ["Sélectionnez un choix valide. fini n’en fait pas partie."]})
    # Others see nothing; the certifier sees every session; a seated member only their own.
    assert client_for(w["outsider"]).get(SESSIONS).json()["count"] == 0
    assert client_for(w["other_organiser"]).get(SESSIONS).json()["count"] == 0
    assert client_for(w["certifier"]).get(SESSIONS).json()["count"] == 5
    assert reader(w, "seated").get(SESSIONS).json()["count"] == 1
    # A token acts for one organisation: the seat, held in the person's own name, is not in it.
    assert client_for(w["seated"]).get(SESSIONS).json()["count"] == 0


def test_detail_queries_are_bounded(world, django_assert_max_num_queries):
    api = client_for(world["organiser"])  # issuing the token is not part of the request
    with django_assert_max_num_queries(12):
        response = api.get(url(world["session"]))
    assert response.status_code == 200


# --- schema ----------------------------------------------------------------------------------------------


def test_schema_documents_the_jury(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    for operation_id in [
        "jury_sessions_list",
        "jury_sessions_create",
        "jury_sessions_retrieve",
        "jury_sessions_members_create",
        "jury_sessions_attendance_update",
        "jury_sessions_dossiers_create",
        "jury_sessions_decision_create",
        "jury_sessions_award_clean",
        "jury_sessions_close",
        "jury_sessions_minutes_retrieve",
    ]:
        assert operations[operation_id]["summary"], operation_id
    assert {"400", "403", "404", "409"} <= set(operations["jury_sessions_decision_create"]["responses"])
    assert list(operations["jury_sessions_minutes_retrieve"]["responses"]["200"]["content"]) == ["application/pdf"]
    assert {p["name"] for p in operations["jury_sessions_list"]["parameters"]} >= {"page", "status", "region"}


def test_dossier_adjourned_by_the_session_cannot_be_put_on_it_again(on_session):
    j = on_session
    all_present(j)
    services.decide(j["entry"], outcome="adjourned", reasons="Domaine 1 à revoir", votes_for=3, by=j["organiser"])
    before = counts()
    response = j["api"].post(url(j["session"], "dossiers/"), {"dossiers": [str(j["dossier"].public_id)]}, format="json")
    assert counts() == before
    assert response.status_code == 409, response.json()
    assert "région ou certification" not in response.json()["detail"]
