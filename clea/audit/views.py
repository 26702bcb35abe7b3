"""The certifier's « Journal des modifications »: who changed what, when, before and after."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from clea.accounts.memberships import is_certifier
from clea.audit.tracking import OBJECT_TYPES
from clea.lib import limits
from clea.lib.pagination import CappedPaginator

PAGE_SIZE = 50
ACTIONS = {
    LogEntry.Action.CREATE: "Création",
    LogEntry.Action.UPDATE: "Modification",
    LogEntry.Action.DELETE: "Suppression",
}
CSV_HEADERS = ["Date", "Auteur", "Objet", "Identifiant", "Libellé", "Action", "Champ", "Avant", "Après"]


class TrailFilter(forms.Form):
    object_type = forms.ChoiceField(label="Objet", required=False, choices=[("", "Tous"), *OBJECT_TYPES.items()])
    object_id = forms.CharField(label="Identifiant de l'objet", required=False, max_length=64)
    author = forms.CharField(label="Auteur (e-mail)", required=False, max_length=limits.SEARCH)
    since = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "La date de fin précède la date de début.")
        return data


def _entries(form: TrailFilter) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.filter(
        content_type__model__in=list(OBJECT_TYPES), action__in=list(ACTIONS)
    ).select_related("actor", "content_type")
    if not form.is_valid():
        return entries
    data = form.cleaned_data
    if data["object_type"]:
        entries = entries.filter(content_type__model=data["object_type"])
    if data["object_id"]:
        entries = entries.filter(object_pk=data["object_id"].strip())
    if data["author"]:
        entries = entries.filter(actor_email__icontains=data["author"].strip())
    zone = timezone.get_current_timezone()
    if data["since"]:
        entries = entries.filter(timestamp__gte=datetime.datetime.combine(data["since"], datetime.time(), zone))
    if data["until"]:
        end = datetime.datetime.combine(data["until"] + datetime.timedelta(days=1), datetime.time(), zone)
        entries = entries.filter(timestamp__lt=end)
    return entries.order_by("-timestamp", "-pk")


def _rows(entry: LogEntry) -> list[dict[str, str]]:
    """One row per changed field; a many-to-many change lists the objects added or removed."""
    rows = []
    for field, change in (entry.changes_dict or {}).items():
        if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            operation = "ajout" if change.get("operation") == "add" else "retrait"
            rows.append(
                {"field": field, "before": "", "after": f"{operation} : {', '.join(change.get('objects', []))}"}
            )
        else:
            before, after = [*change, "", ""][:2]
            rows.append({"field": field, "before": _shown(before), "after": _shown(after)})
    return rows


def _shown(value: Any) -> str:
    return "" if value in (None, "None") else str(value)


def _author(entry: LogEntry) -> str:
    return entry.actor.get_full_name() or entry.actor.email if entry.actor else "Système"


def _require_certifier(request: HttpRequest) -> None:
    if not is_certifier(request.user):
        raise PermissionDenied("Réservé au certificateur.")


def trail(request: HttpRequest) -> HttpResponse:
    _require_certifier(request)
    form = TrailFilter(request.GET or None)
    page = CappedPaginator(_entries(form), PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [
        {
            "entry": entry,
            "author": _author(entry),
            "object_type": OBJECT_TYPES.get(entry.content_type.model, entry.content_type.model),
            "action": ACTIONS.get(entry.action, ""),
            "changes": _rows(entry),
        }
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "title": "Journal des modifications",
            "form": form,
            "page_obj": page,
            "lines": lines,
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def trail_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    _require_certifier(request)
    form = TrailFilter(request.GET or None)
    if form.errors:
        return HttpResponse("Filtre invalide : " + " ".join(str(e) for e in form.errors.get("until", [])), status=400)
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(CSV_HEADERS)
        for entry in _entries(form).iterator(chunk_size=500):
            base = [
                timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M"),
                _author(entry),
                OBJECT_TYPES.get(entry.content_type.model, entry.content_type.model),
                entry.object_pk,
                entry.object_repr,
                ACTIONS.get(entry.action, ""),
            ]
            for change in _rows(entry) or [{"field": "", "before": "", "after": ""}]:
                yield writer.writerow([*base, change["field"], change["before"], change["after"]])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal-des-modifications.csv"'
    return response
