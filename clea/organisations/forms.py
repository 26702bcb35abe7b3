from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from clea.geography.models import Commune, Postcode, Region
from clea.lib import limits
from clea.lib.siret import normalise_siret
from clea.organisations.models import Habilitation, Membership, Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification

SELECT = {"class": "fr-select"}


class OrganisationForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text="Choisissez la commune après avoir saisi le code postal.",
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "prescriber_type",
            "siret",
            "address_line1",
            "address_line2",
            "postcode",
            "commune",
            "email",
            "phone",
            "website",
        ]
        widgets = {
            "kind": forms.Select(attrs=SELECT),
            "prescriber_type": forms.Select(attrs=SELECT),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        postcode = self.data.get("postcode") or (self.instance.postcode if self.instance.pk else "")
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = Commune.objects.filter(
            postcodes__code=postcode
        ).order_by("name")

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data.get("siret", ""))
        if siret and Organisation.objects.filter(siret=siret).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Une organisation avec ce SIRET existe déjà.")
        return siret

    def clean_postcode(self):
        postcode = self.cleaned_data.get("postcode", "").strip()
        if postcode and not Postcode.objects.filter(code=postcode).exists():
            raise forms.ValidationError("Ce code postal n'existe pas.")
        return postcode

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("postcode") and not cleaned.get("commune") and "commune" not in self.errors:
            self.add_error("commune", "Choisissez la commune correspondant au code postal.")
        return cleaned


class HabilitationForm(forms.ModelForm):
    certification = forms.ModelChoiceField(
        label="Certification", queryset=Certification.objects.all(), widget=forms.Select(attrs=SELECT)
    )
    regions = forms.ModelMultipleChoiceField(
        label="Régions",
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une région."},
    )

    class Meta:
        model = Habilitation
        fields = ["certification", "regions", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "La fin de validité doit suivre le début.")
        return cleaned


class MemberForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=(), widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r, Role(r).label) for r in organisation.allowed_roles]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        email, role = cleaned.get("email"), cleaned.get("role")
        if email and role:
            user = get_user_model().objects.filter(email__iexact=email).first()
            if (
                user
                and Membership.objects.filter(
                    user=user, organisation=self.organisation, role=role, is_active=True
                ).exists()
            ):
                raise forms.ValidationError("Cette personne a déjà ce rôle dans l'organisation.")
        return cleaned


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="Nom ou SIRET", required=False, max_length=limits.SEARCH)
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        widget=forms.Select(attrs=SELECT),
        choices=[("", "Tous"), *OrganisationKind.choices],
    )
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label="Toutes",
        widget=forms.Select(attrs=SELECT),
    )
