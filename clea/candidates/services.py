"""Invite a candidate, activate their account, export everything the platform holds on them."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from clea.accounts.models import User
from clea.candidates.models import CandidateAccount, Invitation, hash_token
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import record_event
from clea.lib.errors import Conflict, RuleViolation
from clea.notifications.emails import render_email

INVITATION_DAYS = 14

type Json = dict[str, Json] | list[Json] | str | int | float | bool | None


def invite(dossier: Dossier, *, by: User, base_url: str) -> Invitation:
    candidate = dossier.candidate
    if not candidate.email:
        raise RuleViolation("Ajoutez d'abord l'adresse e-mail du candidat.")
    if hasattr(candidate, "account"):
        raise Conflict("Le candidat a déjà activé son espace.")
    token = Invitation.new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            candidate=candidate,
            token_hash=hash_token(token),
            created_by=by,
            expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        )
        record_event(dossier, EventKind.INVITED, "Invitation à l'espace candidat envoyée", by=by)
        link = base_url.rstrip("/") + reverse("candidates:activate", args=[token])
        # Sent from this process, never queued: the link holds the token, which the database never stores.
        email = render_email("candidate_invitation", {"link": link, "days": INVITATION_DAYS})
        transaction.on_commit(
            lambda: send_mail(email.subject, email.text, None, [candidate.email], html_message=email.html)
        )
    return invitation


def find_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("candidate").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise RuleViolation("Ce lien n'est pas valable. Demandez une nouvelle invitation à votre organisme.")
    if invitation.used_at is not None:
        raise Conflict("Ce lien a déjà servi. Connectez-vous avec votre adresse e-mail et votre mot de passe.")
    if invitation.expires_at < timezone.now():
        raise Conflict("Ce lien a expiré. Demandez une nouvelle invitation à votre organisme évaluateur.")
    return invitation


@transaction.atomic
def activate(token: str, *, password: str | None) -> User:
    """``password`` None: the person signs in through FranceConnect only (they may choose one later)."""
    invitation = find_invitation(token)
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise Conflict("Ce lien a déjà servi. Connectez-vous avec votre adresse e-mail et votre mot de passe.")
    candidate = invitation.candidate
    User = get_user_model()
    if User.objects.filter(email__iexact=candidate.email).exists():
        raise Conflict("Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou demandez de l'aide.")
    user = User(
        email=candidate.email,
        first_name=candidate.first_names.split(" ")[0],
        last_name=candidate.usage_name or candidate.birth_name,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise RuleViolation(" ".join(exc.messages), field="password1") from None
        user.set_password(password)
    user.save()
    CandidateAccount.objects.create(user=user, candidate=candidate)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


def own_dossiers(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(candidate__account__user=user).select_related(
        "certification", "evaluator_organisation", "referentiel_version__profile", "candidate"
    )


def personal_data(user: User) -> dict[str, Json]:
    """Everything the platform holds on the person (RGPD right of access), as plain JSON data."""
    account = user.candidate_account
    candidate = account.candidate

    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    dossiers: list[Json] = []
    for dossier in own_dossiers(user).prefetch_related(
        "events",
        "meetings",
        "evaluations__sittings",
        "evaluations__judgements__criterion",
        "training_paths__targets",
        "funding_lines",
        "absence_requests",
        "privacy_requests",
    ):
        dossiers.append(
            {
                "certification": dossier.certification.name,
                "organisme": dossier.evaluator_organisation.name,
                "etat": dossier.state_label,
                "date_limite": day(dossier.deadline),
                "consentement": day(dossier.consent_at),
                "historique": [
                    {"date": e.at.isoformat(), "quoi": e.summary, "pourquoi": e.reason} for e in dossier.events.all()
                ],
                "evaluations": [
                    {
                        "type": e.get_kind_display(),
                        "seances": [
                            {
                                "date": day(s.date),
                                "debut": s.start.isoformat(),
                                "fin": s.end.isoformat(),
                                "lieu": s.place,
                            }
                            for s in e.sittings.all()
                        ],
                        "resultats": [
                            {
                                "critere": j.criterion.code,
                                "resultat": j.get_judgement_display(),
                                "commentaire": j.comment,
                                "date": j.recorded_at.isoformat(),
                            }
                            for j in e.judgements.all()
                        ],
                    }
                    for e in dossier.evaluations.all()
                ],
                "formations": [
                    {
                        "heures": p.planned_hours,
                        "debut": day(p.start_date),
                        "fin": day(p.end_date),
                        "criteres": [c.code for c in p.targets.all()],
                    }
                    for p in dossier.training_paths.all()
                ],
                "financements": [
                    {
                        "etape": f.get_step_display(),
                        "dispositif": f.get_scheme_display(),
                        "financeur": f.funder,
                        "montant": str(f.amount),
                        "heures_sur_le_temps_de_travail": f.paid_work_hours,
                    }
                    for f in dossier.funding_lines.all()
                ],
                "absences": [
                    {
                        "debut": day(a.start_date),
                        "fin": day(a.end_date),
                        "etat": a.get_status_display(),
                        "remuneration_maintenue": a.pay_maintained,
                    }
                    for a in dossier.absence_requests.all()
                ],
                "demandes_sur_mes_donnees": [
                    {
                        "objet": r.get_kind_display(),
                        "recue_le": r.requested_at.isoformat(),
                        "etat": r.get_status_display(),
                        "reponse": r.answer,
                    }
                    for r in dossier.privacy_requests.all()
                ],
            }
        )
    return {
        "identite": {
            "nom_de_naissance": candidate.birth_name,
            "nom_d_usage": candidate.usage_name,
            "prenoms": candidate.first_names,
            "sexe": candidate.get_sex_display(),
            "date_de_naissance": day(candidate.birth_date),
            "commune_de_naissance": candidate.birth_commune.name if candidate.birth_commune else None,
            "pays_de_naissance": candidate.birth_country.name if candidate.birth_country else None,
            "adresse": [
                candidate.address_line1,
                candidate.address_line2,
                candidate.postcode,
                candidate.commune.name if candidate.commune else "",
            ],
            "email": candidate.email,
            "telephone": candidate.phone,
        },
        "compte": {"email": user.email, "active_le": account.activated_at.isoformat()},
        "dossiers": dossiers,
    }
