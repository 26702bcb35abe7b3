from __future__ import annotations

import time

from django import forms
from django.core import signing

from clea.dossiers.forms import SELECT
from clea.meetings.models import SlotKind
from clea.referentiel.models import Certification, VersionStatus

MIN_SECONDS = 3  # a person takes longer than that to fill the form in; a bot posts at once
MAX_SECONDS = 2 * 3600
SALT = "clea.meetings.form"
TOO_FAST = "Le formulaire a été envoyé trop vite ou a expiré : relisez-le et envoyez-le à nouveau."


def form_token() -> str:
    return signing.dumps(time.time(), salt=SALT)


class MeetingRequestForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="E-mail", required=False, help_text="Un e-mail ou un téléphone, au choix.")
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    preferred_times = forms.CharField(
        label="Quand êtes-vous disponible ? (facultatif)",
        required=False,
        max_length=500,
        help_text="Par exemple : le mardi matin, ou après 17 h.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        empty_label="Je ne sais pas encore",
        to_field_name="code",
        queryset=Certification.objects.filter(versions__status=VersionStatus.ACTIVE).distinct().order_by("code"),
        widget=forms.Select(attrs=SELECT),
    )
    consent = forms.BooleanField(
        label="J'accepte que l'organisme garde ces informations pour me recontacter",
        help_text="Elles sont effacées si vous n'ouvrez pas de dossier.",
        error_messages={"required": "Votre accord pour être recontacté est nécessaire."},
    )
    # Bot traps: a field hidden from people, and the time the form took (signed when it was shown).
    site_web = forms.CharField(required=False, label="Ne pas remplir ce champ", max_length=200)
    jeton = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("site_web"):
            raise forms.ValidationError(TOO_FAST)
        try:
            shown = float(signing.loads(cleaned.get("jeton", ""), salt=SALT, max_age=MAX_SECONDS))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(TOO_FAST) from None
        if time.time() - shown < MIN_SECONDS:
            raise forms.ValidationError(TOO_FAST)
        if not (cleaned.get("email") or (cleaned.get("phone") or "").strip()):
            self.add_error("email", "Indiquez un e-mail ou un téléphone pour que l'organisme vous recontacte.")
        return cleaned


class ProposeForm(forms.Form):
    when = forms.DateTimeField(
        label="Date et heure de la réunion",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "fr-input"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


WHEN = {"type": "datetime-local", "class": "fr-input"}


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date et heure de début",
        widget=forms.DateTimeInput(attrs=WHEN, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    duration_minutes = forms.IntegerField(label="Durée (minutes)", initial=60, max_value=32767)
    kind = forms.ChoiceField(
        label="Type de réunion",
        choices=SlotKind.choices,
        initial=SlotKind.COLLECTIVE,
        widget=forms.Select(attrs=SELECT),
    )
    capacity = forms.IntegerField(
        label="Nombre de places", initial=1, max_value=32767, help_text="Une seule place pour une réunion individuelle."
    )
    remote = forms.ChoiceField(
        label="Où", choices=[("0", "Sur place"), ("1", "À distance")], initial="0", widget=forms.Select(attrs=SELECT)
    )
    place = forms.CharField(
        label="Lieu ou adresse", max_length=300, required=False, help_text="Pour une réunion sur place."
    )
    link = forms.URLField(
        label="Lien de connexion",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Pour une réunion à distance, par exemple https://visio.exemple.fr/salle.",
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        empty_label="Toutes",
        queryset=Certification.objects.filter(versions__status=VersionStatus.ACTIVE).distinct().order_by("code"),
        widget=forms.Select(attrs=SELECT),
    )

    def clean_remote(self) -> bool:
        return self.cleaned_data["remote"] == "1"


class BookForm(forms.Form):
    """The slot chosen, by its public id (the choices are the slots still open to this request)."""

    slot = forms.UUIDField(label="Créneau", error_messages={"required": "Choisissez un créneau."})


def attendance_marks(post, bookings) -> dict:
    """``presence-<booking public_id>`` for each booking shown: only the values given are kept."""
    marks = {}
    for booking in bookings:
        value = post.get(f"presence-{booking.public_id}", "")
        if value:
            marks[booking.public_id] = value
    return marks
