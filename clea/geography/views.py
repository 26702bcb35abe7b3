from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from clea.geography.models import Commune


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
