from django.contrib.auth.decorators import login_not_required
from django.db.models import prefetch_related_objects
from django.shortcuts import render

from clea.geography.models import Commune
from clea.geography.search import find_communes


@login_not_required
def commune_options(request):
    """<option> list of the communes served by a postcode (htmx helper for address forms)."""
    postcode = (request.GET.get("postcode") or request.GET.get("birth_postcode") or "").strip()
    communes = (
        Commune.objects.filter(postcodes__code=postcode).order_by("name")
        if len(postcode) == 5 and postcode.isdigit()
        else Commune.objects.none()
    )
    return render(request, "geography/commune_options.html", {"communes": communes, "postcode": postcode})


SUGGESTIONS = 8


@login_not_required
def commune_suggestions(request):
    """<option> list for a <datalist>: the communes matching what is typed so far (``find_communes``)."""
    text = (request.GET.get("lieu") or request.GET.get("q") or "").strip()[:100]
    communes = find_communes(text, SUGGESTIONS) if len(text) >= 2 else []
    prefetch_related_objects(communes, "postcodes")
    return render(request, "geography/commune_suggestions.html", {"communes": communes})
