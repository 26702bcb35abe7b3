from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from clea.directory.access import get_listed_organisation_or_404
from clea.directory.forms import DirectorySearchForm
from clea.directory.search import Place, search

PAGE_SIZE = 20


@login_not_required
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    results, place, certification = None, Place(), None
    if form.is_bound and form.is_valid():
        place, certification = form.place(), form.cleaned_data["certification"]
    if not form.is_bound or form.is_valid():
        results = search(place, certification, timezone.localdate())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page")) if results is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "title": "Trouver un organisme évaluateur",
            "form": form,
            "page_obj": page,
            "place": place,
            "query_prefix": query.urlencode() + "&" if query else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_not_required
def organisation(request, public_id):
    found = get_listed_organisation_or_404(public_id, timezone.localdate())
    return render(request, "directory/detail.html", {"title": found.name, "organisation": found})
