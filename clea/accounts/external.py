"""Which account a ProConnect identity opens: a linked one, or an existing one it may be linked to."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from clea.accounts.memberships import is_candidate
from clea.accounts.models import ExternalIdentity, User
from clea.accounts.oidc import SignedIn, SignInRefused

NO_ACCOUNT = (
    "Aucun compte professionnel n'est ouvert à l'adresse que ProConnect a transmise. "
    "Demandez à un administrateur de votre organisation de vous inviter, puis reconnectez-vous."
)
NO_EMAIL = "ProConnect n'a pas transmis d'adresse e-mail vérifiée : le compte ne peut pas être retrouvé."
TAKEN = "Cette identité est déjà liée à un autre compte de la plateforme."
ALREADY_LINKED = (
    "Votre compte est déjà lié à une autre identité de ce service. Retirez ce lien dans « Mon compte » d'abord."
)
INACTIVE = "Ce compte est désactivé."


def account_for(signed_in: SignedIn, *, current: User | None) -> User:
    """The linked account, else ``current`` (linking from « Mon compte »), else the account with the
    verified e-mail ProConnect gives, never a new one: accounts and roles come from invitations."""
    user = linked_account(signed_in, current=current)
    if user is not None:
        return user
    user = current or _professional_with_email(signed_in)
    link(user, signed_in)
    _fill_names(user, signed_in.claims)
    return user


def _fill_names(user: User, claims: dict) -> None:
    """An invited person's account may have no name yet: ProConnect's (given_name, usual_name) fills it."""
    names = {"first_name": claims.get("given_name"), "last_name": claims.get("usual_name")}
    blanks = {field: str(value)[:150] for field, value in names.items() if value and not getattr(user, field)}
    if blanks:
        User.objects.filter(pk=user.pk).update(**blanks)
        for field, value in blanks.items():
            setattr(user, field, value)


def linked_account(signed_in: SignedIn, *, current: User | None) -> User | None:
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=signed_in.provider, subject=signed_in.subject)
        .first()
    )
    if identity is not None:
        if current is not None and current.pk != identity.user_id:
            raise SignInRefused("taken", TAKEN)
        if not identity.user.is_active:
            raise SignInRefused("inactive", INACTIVE)
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_used_at=timezone.now())
        return identity.user
    return None


def _professional_with_email(signed_in: SignedIn) -> User:
    email = str(signed_in.claims.get("email") or "").strip()
    if not email or signed_in.claims.get("email_verified") is False:
        raise SignInRefused("no_email", NO_EMAIL)
    user = User.objects.filter(email__iexact=email).first()
    # Candidates have their own door (FranceConnect, through their invitation).
    if user is None or is_candidate(user):
        raise SignInRefused("no_account", NO_ACCOUNT)
    if not user.is_active:
        raise SignInRefused("inactive", INACTIVE)
    return user


def link(user: User, signed_in: SignedIn) -> ExternalIdentity:
    if user.external_identities.filter(provider=signed_in.provider).exists():
        raise SignInRefused("already_linked", ALREADY_LINKED)
    try:
        with transaction.atomic():
            return ExternalIdentity.objects.create(
                user=user, provider=signed_in.provider, subject=signed_in.subject, last_used_at=timezone.now()
            )
    except IntegrityError:
        raise SignInRefused("taken", TAKEN) from None


def unlink(user: User, provider: str) -> int:
    deleted, _ = ExternalIdentity.objects.filter(user=user, provider=provider).delete()
    return deleted
