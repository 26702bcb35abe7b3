"""The named cast (DESIGN.md §6): one person per situation around one evaluator organisation, and the
objects they are attached to, linked as the application links them.

The first circle (evaluator, colleague, org_admin, outsider, trainer, prescriber, jury_member, certifier
and the evaluator organisation) is created at once: it is cheap and every permission test needs it.
Everything else (the employer's contact, the jury organiser, the candidate and the objects) is built on
first use, through the services (``clea/*/services.py``): a test pays only for what it reads, and a test
that never reads ``cast.dossier`` finds no dossier in the database.

People are made with the factories (there is no service that creates a person with a password: the
organisations' ``add_member`` sends an invitation instead); the candidate gets their account the way a
candidate does, through the invitation e-mail and its activation link.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import TestCase

from clea.absences import services as absences
from clea.candidates import services as candidates
from clea.certificates import services as certificates
from clea.dossiers import services as dossiers
from clea.dossiers.models import CandidateStatus, MeetingOutcome
from clea.evaluations import services as evaluations
from clea.funding import services as funding
from clea.funding.models import FundingScheme, FundingState, FundingStep
from clea.geography.models import Commune, Region
from clea.jury import services as jury
from clea.jury.models import Outcome
from clea.meetings import services as meetings
from clea.organisations import services as organisations
from clea.organisations.models import OrganisationKind, PrescriberType, Role
from clea.referentiel.models import Criterion
from clea.referrals import services as referrals
from clea.training import services as training
from tests.clock import TODAY
from tests.cpf_settings import enter_cpf_settings
from tests.factories import MembershipFactory, OrganisationFactory, member, pdf_upload

# The first circle, created with the cast (the order of the permission tests' parameters).
FIRST_CIRCLE = ("evaluator", "colleague", "org_admin", "outsider", "trainer", "prescriber", "jury_member", "certifier")
# Everyone the permission matrix asks: the first circle and the people built on first use.
ROLES = (*FIRST_CIRCLE, "employer", "jury_organiser", "candidate", "anonymous")
# The evaluator organisation's own people (they work on its dossiers).
WORKERS = frozenset({"evaluator", "colleague", "org_admin"})
# Who sees the cast's dossier: the trainer of its path too, and the certifier (who sees every dossier).
SEES_DOSSIER = WORKERS | {"trainer", "certifier"}


def refusal(role: str, allowed, *, write: bool = False) -> int | None:
    """None when ``role`` is allowed; else 403 for someone who sees the dossier (when acting), 404."""
    if role in allowed:
        return None
    return 403 if (write and role in SEES_DOSSIER) else 404


CANDIDATE_PASSWORD = "un-mot-de-passe-solide-2026"
GAPS = ("1.1.1", "2.4.1")  # not acquired at the cast dossier's préalable: it goes to training


def candidate_data(rennes, **overrides) -> dict:
    """A person's identity and address as the opening form sends it (Léa Durand, born in Rennes)."""
    data = {
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Léa Marie",
        "sex": "F",
        "birth_date": datetime.date(1990, 5, 17),
        "birth_commune": rennes,
        "birth_country": None,
        "address_line1": "3 rue des Lilas",
        "address_line2": "",
        "postcode": "35000",
        "commune": rennes,
        "email": "lea.durand@exemple.fr",
        "phone": "0601020304",
    }
    data.update(overrides)
    return data


class Cast:
    """``cast.evaluator``, ``cast.dossier``…; ``cast["evaluator"]`` works too (the older tests' spelling).

    ``need(name)`` gives what the lazy parts stand on: the ``referentiels`` in force and the ``geography``
    (``request.getfixturevalue`` for a test's cast).
    """

    def __init__(self, need: Callable[[str], Any]):
        self._need = need
        self.organisation = OrganisationFactory(kind=OrganisationKind.EVALUATOR, name="Évaluateur A")
        self.evaluator = member(OrganisationKind.EVALUATOR, Role.EVALUATOR, self.organisation)
        self.colleague = member(OrganisationKind.EVALUATOR, Role.EVALUATOR, self.organisation)
        self.org_admin = member(OrganisationKind.EVALUATOR, Role.ADMIN, self.organisation)
        # The strongest outsider: the administrator of another evaluator organisation.
        self.outsider = member(OrganisationKind.EVALUATOR, Role.ADMIN)
        self.trainer = member(OrganisationKind.TRAINING, Role.TRAINER)
        self.prescriber = member(OrganisationKind.PRESCRIBER, Role.ADVISER, prescriber_type=PrescriberType.CEP)
        self.jury_member = member(OrganisationKind.JURY_ORGANISER, Role.JURY_MEMBER)
        self.certifier = member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER)
        self.anonymous = AnonymousUser()

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def user(self, role: str):
        """The person playing ``role`` (``None`` for the anonymous visitor: a logged-out client)."""
        return None if role == "anonymous" else getattr(self, role)

    # --- organisations of the first circle ------------------------------------------------------------

    def _organisation_of(self, person):
        return person.memberships.get().organisation

    @cached_property
    def outsider_organisation(self):
        return self._organisation_of(self.outsider)

    @cached_property
    def training_organisation(self):
        return self._organisation_of(self.trainer)

    @cached_property
    def prescriber_organisation(self):
        return self._organisation_of(self.prescriber)

    @cached_property
    def jury_organisation(self):
        return self._organisation_of(self.jury_member)

    @cached_property
    def certifier_organisation(self):
        return self._organisation_of(self.certifier)

    @cached_property
    def employer_organisation(self):
        return OrganisationFactory(kind=OrganisationKind.EMPLOYER, name="Boulangerie Dupont")

    # --- people built on first use --------------------------------------------------------------------

    @cached_property
    def employer(self):
        """The bakery's contact: answers its employees' absence requests, records its own funding."""
        return MembershipFactory(organisation=self.employer_organisation, role=Role.EMPLOYER_CONTACT).user

    @cached_property
    def jury_organiser(self):
        """Organises the sessions of the jury member's organisation (Transitions Pro)."""
        return MembershipFactory(organisation=self.jury_organisation, role=Role.JURY_ORGANISER).user

    @cached_property
    def candidate(self):
        """Léa Durand, the person of ``cast.dossier``: invited by her evaluator, she chose her password."""
        return candidates.activate(self._invite(self.dossier), password=CANDIDATE_PASSWORD)

    @cached_property
    def invitation_token(self) -> str:
        """A pending invitation: Paul Martin (``cast.awarded_dossier``) has not opened his link yet."""
        return self._invite(self.awarded_dossier)

    def _invite(self, dossier) -> str:
        """The evaluator invites the dossier's candidate; the token is read in the e-mail (the only place
        it is written), and that e-mail is taken out of the outbox."""
        mail.outbox = getattr(mail, "outbox", [])
        sent = len(mail.outbox)
        with TestCase.captureOnCommitCallbacks(execute=True):
            candidates.invite(dossier, by=self.evaluator, base_url="http://testserver/")
        [invitation] = [m for m in mail.outbox[sent:] if "/espace/activation/" in m.body]
        mail.outbox.remove(invitation)
        return re.search(r"/espace/activation/([^/\s]+)/", invitation.body).group(1)

    # --- the setting: référentiels in force, Rennes, the habilitation ---------------------------------

    @cached_property
    def setting(self) -> dict:
        """What ``path_setting`` gives (the older tests' dict): the first circle, and the evaluator
        organisation in Rennes, habilitated for CléA in Bretagne. Its ``employer`` is the bakery."""
        referentiels = self._need("referentiels")
        self._need("geography")
        rennes = Commune.objects.get(code="35238")
        self.organisation.commune, self.organisation.postcode = rennes, "35000"
        self.organisation.save()
        clea = referentiels["CLEA"].certification
        habilitation = organisations.grant_habilitation(
            self.organisation,
            certification=clea,
            regions=[Region.objects.get(code="53")],
            valid_from=datetime.date(2024, 1, 1),
            valid_until=datetime.date(2032, 12, 31),
            by=self.certifier,
        )
        return {
            **{name: getattr(self, name) for name in FIRST_CIRCLE},
            "organisation": self.organisation,
            "rennes": rennes,
            "habilitation": habilitation,
            "training_org": self.training_organisation,
            "employer": self.employer_organisation,
            "clea": clea,
        }

    @property
    def clea(self):
        return self.setting["clea"]

    @property
    def rennes(self):
        return self.setting["rennes"]

    @property
    def habilitation(self):
        return self.setting["habilitation"]

    # --- a habilitation campaign: the evaluator organisation has applied --------------------------------

    @cached_property
    def campaign(self):
        """A CléA numérique campaign open in November and December 2026, with two pieces asked for."""
        from clea.campaigns import services as campaigns

        self._need("geography")
        return campaigns.open_campaign(
            certification=self._need("referentiels")["CLEA_NUMERIQUE"].certification,
            title="Campagne CléA numérique 2027",
            opens_on=datetime.date(2026, 11, 1),
            closes_on=datetime.date(2026, 12, 31),
            habilitation_from=datetime.date(2027, 1, 1),
            habilitation_until=datetime.date(2031, 12, 31),
            documents=["Extrait Kbis", "Attestation Qualiopi"],
            admits_training=True,
            application_fee_cents=30_000,
            establishment_fee_cents=15_000,
            by=self.certifier,
        )

    @cached_property
    def application(self):
        """The evaluator organisation's application (Bretagne, its head office), deposited with both pieces."""
        from clea.campaigns import services as campaigns

        application = campaigns.start_application(self.campaign, self.organisation, by=self.org_admin, today=TODAY)
        campaigns.set_regions(application, [Region.objects.get(code="53")], by=self.org_admin)
        campaigns.add_establishment(application, siret=self.organisation.siret, name="Siège", by=self.org_admin)
        for piece in self.campaign.required_documents.all():
            campaigns.upload_document(application, required=piece, upload=pdf_upload(), by=self.org_admin)
        return campaigns.submit(application, by=self.org_admin, today=TODAY)

    @cached_property
    def application_document(self):
        return self.application.documents.order_by("pk").first()

    # --- a quality audit: the evaluator organisation's dossier is drawn ---------------------------------

    @cached_property
    def audited(self):
        """The evaluator organisation in an audit of 2026's CléA préalables; Léa's dossier is drawn."""
        from clea.quality import audits, signals

        self.dossier  # noqa: B018 (its préalable is closed)
        opened = audits.open_audit(
            certification=self.clea,
            title="Audit qualité 2026",
            period=signals.Period(datetime.date(2026, 1, 1), TODAY),
            rate_percent=30,
            minimum=1,
            maximum=20,
            seed=2026,
            answer_by=TODAY + datetime.timedelta(days=30),
            organisations=[self.organisation],
            by=self.certifier,
            today=TODAY,
        )
        return opened.audit.organisations.get()

    @cached_property
    def audited_dossier(self):
        return self.audited.dossiers.get()

    @cached_property
    def audit_document(self):
        from clea.quality import audits

        audits.answer_dossier(self.audited_dossier, comment="", upload=pdf_upload("emargement.pdf"), by=self.evaluator)
        return self.audited_dossier.documents.get()

    @cached_property
    def referentiel_version(self):
        """The CléA référentiel version in force."""
        return self._need("referentiels")["CLEA"]

    @cached_property
    def meeting_request(self):
        """Karim Benali asked the evaluator organisation for an information meeting, from the directory."""
        self.habilitation  # noqa: B018 (the organisation is listed only while habilitated)
        return meetings.submit_request(
            organisation=self.organisation,
            certification=None,
            first_name="Karim",
            last_name="Benali",
            email="karim.benali@exemple.fr",
            phone="",
            preferred_times="Le mardi matin",
            consent=True,
            today=TODAY,
        )

    # --- the evaluator's dossier: referred, employee of the bakery, in training ----------------------

    @cached_property
    def referral(self):
        """The prescriber's referral of Léa Durand to the evaluator organisation (she shares her results)."""
        return referrals.send_referral(
            prescriber=self.prescriber_organisation,
            adviser=self.prescriber,
            evaluator_organisation=self.organisation,
            certification=self.clea,
            person={
                "birth_name": "Durand",
                "first_names": "Léa Marie",
                "birth_date": datetime.date(1990, 5, 17),
                "email": "lea.durand@exemple.fr",
                "phone": "0601020304",
            },
            candidate_status=CandidateStatus.EMPLOYEE,
            consent=True,
            share_results=True,
            note="",
            today=TODAY,
        )

    @cached_property
    def dossier(self):
        """Opened from the referral by the evaluator (the prescriber is linked), Léa works at the bakery
        (the employer is linked); information meeting, préalable closed with gaps, training path with the
        trainer (who then sees the dossier), a funding line and an absence request to the employer."""
        dossier = referrals.accept_referral(
            self.referral,
            by=self.evaluator,
            today=TODAY,
            candidate=candidate_data(self.rennes),
            candidate_status=CandidateStatus.EMPLOYEE,
            employer=self.employer_organisation,
            consent=True,
            evaluator=self.evaluator,
        )
        dossiers.record_meeting(
            dossier,
            date=TODAY,
            adviser=self.evaluator,
            outcome=MeetingOutcome.CONTINUES,
            notes="",
            by=self.evaluator,
            today=TODAY,
        )
        self.evaluation = _closed_initial(dossier, self.evaluator, gaps=GAPS)
        dossier.refresh_from_db()
        self.training_path = training.propose_training_path(
            dossier,
            training_organisation=self.training_organisation,
            trainer=self.trainer,
            planned_hours=35,
            start_date=TODAY,
            end_date=TODAY + datetime.timedelta(days=90),
            target_codes=[],
            by=self.evaluator,
        )
        self.funding_line = funding.add_funding_line(
            dossier,
            step=FundingStep.TRAINING,
            scheme=FundingScheme.CPF,
            funder="Caisse des dépôts",
            amount=1200,
            state=FundingState.PLANNED,
            by=self.evaluator,
        )
        start = TODAY + datetime.timedelta(days=70)
        self.absence_request = absences.request_absence(
            dossier,
            requested_on=TODAY,
            start_date=start,
            end_date=start + datetime.timedelta(days=20),
            hours=35,
            by=self.evaluator,
            today=TODAY,
        )
        dossier.refresh_from_db()
        return dossier

    # The dossier's objects, made with it.
    @cached_property
    def evaluation(self):
        """The dossier's préalable, closed with gaps."""
        self.dossier  # noqa: B018 (built with the dossier)
        return self.__dict__["evaluation"]

    @cached_property
    def training_path(self):
        self.dossier  # noqa: B018
        return self.__dict__["training_path"]

    @cached_property
    def funding_line(self):
        self.dossier  # noqa: B018
        return self.__dict__["funding_line"]

    @cached_property
    def absence_request(self):
        self.dossier  # noqa: B018
        return self.__dict__["absence_request"]

    @cached_property
    def transfer_request(self):
        """The outsider's organisation (habilitated too) asks to take Léa's dossier over."""
        outsider_org = self.outsider_organisation
        organisations.grant_habilitation(
            outsider_org,
            certification=self.clea,
            regions=[Region.objects.get(code="53")],
            valid_from=datetime.date(2026, 1, 1),
            valid_until=None,
            by=self.certifier,
        )
        person = self.dossier.candidate
        return dossiers.request_transfer(
            organisation=outsider_org,
            certification=self.clea,
            candidate_identity={k: getattr(person, k) for k in ("birth_name", "first_names", "birth_date")},
            reason="Déménagement",
            by=self.outsider,
        )

    # --- the jury and the certificate: a second dossier, awarded ---------------------------------------

    @cached_property
    def awarded_dossier(self):
        """Paul Martin's dossier: every domain acquired at the préalable, submitted to the jury."""
        dossier = dossiers.open_dossier(
            organisation=self.organisation,
            certification=self.clea,
            candidate=candidate_data(
                self.rennes, birth_name="Martin", first_names="Paul", sex="M", email="paul.martin@exemple.fr"
            ),
            candidate_status=CandidateStatus.JOB_SEEKER,
            initiator="self",
            consent=True,
            evaluator=self.evaluator,
            by=self.evaluator,
            today=TODAY,
        )
        _closed_initial(dossier, self.evaluator)
        dossiers.submit_to_jury(dossier, by=self.evaluator, summary="Tous les domaines sont acquis.")
        dossier.refresh_from_db()
        return dossier

    @cached_property
    def jury_session(self):
        """Today's session of the jury organisation in Bretagne: the jury member sits in the employees'
        college; Paul Martin's dossier is awarded; the minutes are signed (the session is closed)."""
        session = jury.create_session(
            organiser=self.jury_organisation,
            date=TODAY,
            start=None,
            place="Rennes",
            remote=False,
            region=Region.objects.get(code="53"),
            certifications=[self.clea],
            by=self.jury_organiser,
        )
        seated = [
            jury.add_member(session, full_name="Alain Patron", college="employers"),
            jury.add_member(session, full_name="Brigitte Salariée", college="employees", user=self.jury_member),
        ]
        [self.session_entry] = jury.put_on_session(session, [self.awarded_dossier], by=self.jury_organiser)
        jury.record_attendance(session, present_ids={m.pk for m in seated}, by=self.jury_organiser)
        self.decision = jury.decide(
            self.session_entry, outcome=Outcome.AWARDED, reasons="", votes_for=2, by=self.jury_organiser, today=TODAY
        )
        jury.close_session(session, by=self.jury_organiser, today=TODAY)
        session.refresh_from_db()
        self.awarded_dossier.refresh_from_db()
        return session

    @cached_property
    def session_entry(self):
        self.jury_session  # noqa: B018 (made with the session)
        return self.__dict__["session_entry"]

    @cached_property
    def decision(self):
        self.jury_session  # noqa: B018
        return self.__dict__["decision"]

    @cached_property
    def certificate(self):
        """Issued by the certifier for the closed session."""
        return certificates.issue_certificate(self.decision, by=self.certifier)

    @cached_property
    def mailing_batch(self):
        """The print run holding the certificate's original letter."""
        return certificates.create_mailing_batch([self.certificate], by=self.certifier)

    @cached_property
    def mailing(self):
        return self.mailing_batch.mailings.get()

    @cached_property
    def cpf_export(self):
        """The CPF declaration reporting the certificate."""
        self.certificate  # noqa: B018
        enter_cpf_settings()
        return certificates.export_to_cpf(by=self.certifier)


def _closed_initial(dossier, evaluator, *, gaps=()):
    """The préalable through the services: started, one sitting, every criterion judged, closed."""
    initial = evaluations.start_evaluation(dossier, kind="initial", evaluator=evaluator, by=evaluator, today=TODAY)
    evaluations.add_sitting(
        initial,
        date=TODAY,
        start=datetime.time(9),
        end=datetime.time(12),
        place="Rennes",
        by=evaluator,
    )
    codes = Criterion.objects.filter(version=dossier.referentiel_version).values_list("code", flat=True)
    evaluations.record_judgements(
        initial,
        [evaluations.GridEntry(code, "not_acquired" if code in gaps else "acquired") for code in codes],
        by=evaluator,
    )
    evaluations.close_evaluation(initial, by=evaluator)
    return initial
