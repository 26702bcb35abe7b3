from django import forms
from django.urls import reverse_lazy

from clea.directory.search import Place
from clea.geography.models import Departement, Region
from clea.geography.search import find_communes
from clea.referentiel.models import Certification

SELECT = {"class": "fr-select"}


class DirectorySearchForm(forms.Form):
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label="Toutes",
        widget=forms.Select(attrs=SELECT),
    )
    departement = forms.ModelChoiceField(
        label="Département",
        required=False,
        empty_label="Tous",
        queryset=Departement.objects.order_by("code"),
        widget=forms.Select(attrs=SELECT),
    )
    lieu = forms.CharField(
        label="Commune ou code postal",
        required=False,
        max_length=100,
        help_text="Par exemple : Rennes, saint malo, ou 35000. Des communes vous sont proposées pendant la saisie.",
        widget=forms.TextInput(
            attrs={
                "list": "communes-suggerees",
                "autocomplete": "off",
                "hx-get": reverse_lazy("geography:commune_suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#communes-suggerees",
            }
        ),
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        to_field_name="code",
        queryset=Certification.objects.order_by("code"),
        empty_label="Toutes",
        widget=forms.Select(attrs=SELECT),
    )

    def clean_lieu(self):
        text = self.cleaned_data["lieu"].strip()
        self.communes = find_communes(text) if text else []
        if text and not self.communes:
            if text.isdigit():
                raise forms.ValidationError("Ce code postal n'existe pas.")
            raise forms.ValidationError(
                f"Aucune commune ne s'appelle ni ne commence par « {text} ». "
                "Vérifiez l'orthographe ou saisissez le code postal."
            )
        return text

    def place(self) -> Place:
        data = self.cleaned_data
        commune = self.communes[0] if getattr(self, "communes", None) else None
        return Place(region=data.get("region"), departement=data.get("departement"), commune=commune)
