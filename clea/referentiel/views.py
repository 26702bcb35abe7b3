from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from clea.referentiel import services
from clea.referentiel.access import get_version_for_user_or_404
from clea.referentiel.comparison import compare
from clea.referentiel.documents import DocumentError, parse_csv, parse_json, to_csv, to_json
from clea.referentiel.forms import CompareForm, ImportForm
from clea.referentiel.models import ReferentielVersion
from clea.referentiel.permissions import can_manage_referentiels


def _require_manager(user) -> None:
    if not can_manage_referentiels(user):
        raise PermissionDenied("Réservé au certificateur.")


def version_list(request):
    versions = (
        ReferentielVersion.objects.visible_to(request.user)
        .select_related("certification")
        .annotate(criteria_count=Count("criteria"))
        .order_by("certification__code", "-number")
    )
    return render(
        request,
        "referentiel/list.html",
        {
            "title": "Référentiels",
            "versions": versions,
            "can_manage": can_manage_referentiels(request.user),
        },
    )


def version_detail(request, public_id):
    version = get_version_for_user_or_404(request.user, public_id, structure=True)
    return render(
        request,
        "referentiel/detail.html",
        {
            "title": str(version),
            "version": version,
            "spec": version.to_spec(),
            "can_manage": can_manage_referentiels(request.user),
        },
    )


def version_export(request, public_id, fmt):
    version = get_version_for_user_or_404(request.user, public_id, structure=True)
    spec = version.to_spec()
    filename = f"{slugify(version.certification.code)}-v{version.number}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(to_csv(spec), content_type="text/csv; charset=utf-8")
    else:
        certification = version.certification
        response = HttpResponse(
            to_json(spec, full_name=certification.full_name, certifier_name=certification.certifier_name),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def version_import(request):
    _require_manager(request.user)
    errors: list[str] = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        certification = form.cleaned_data["certification"]
        uploaded = form.cleaned_data["file"]
        content = uploaded.read()
        try:
            if uploaded.name.lower().endswith(".csv"):
                document = parse_csv(
                    content,
                    certification_code=certification.code,
                    certification_name=certification.name,
                    label=form.cleaned_data["label"],
                )
            else:
                document = parse_json(content)
                if certification and certification.code != document.spec.certification_code:
                    raise DocumentError(
                        [
                            f"Le fichier décrit la certification {document.spec.certification_code}, "
                            f"pas {certification.code}."
                        ]
                    )
        except DocumentError as exc:
            errors = exc.errors
        else:
            version = services.import_version(document, by=request.user, certification=certification)
            messages.success(
                request, f"Version {version.number} importée en brouillon. Vérifiez-la puis mettez-la en vigueur."
            )
            return redirect("referentiel:detail", public_id=version.public_id)
    return render(
        request,
        "referentiel/import.html",
        {"title": "Importer un référentiel", "form": form, "import_errors": errors},
        status=400 if errors or form.errors else 200,
    )


def version_compare(request):
    versions = ReferentielVersion.objects.visible_to(request.user).select_related("certification")
    form = CompareForm(request.GET or None, versions=versions)
    changes = None
    if form.is_bound and form.is_valid():
        pair = {
            v.pk: v
            for v in versions.with_structure().filter(
                pk__in=[form.cleaned_data["before"].pk, form.cleaned_data["after"].pk]
            )
        }
        changes = compare(
            pair[form.cleaned_data["before"].pk].to_spec(),
            pair[form.cleaned_data["after"].pk].to_spec(),
        )
    return render(
        request,
        "referentiel/compare.html",
        {"title": "Comparer deux versions", "form": form, "changes": changes},
    )


def _transition(request, public_id, action, success):
    _require_manager(request.user)
    version = get_version_for_user_or_404(request.user, public_id)
    try:
        action(version, by=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("referentiel:detail", public_id=version.public_id)


@require_POST
def version_activate(request, public_id):
    return _transition(
        request,
        public_id,
        services.activate_version,
        "Version mise en vigueur. La version précédente est archivée.",
    )


@require_POST
def version_archive(request, public_id):
    return _transition(request, public_id, services.archive_version, "Version archivée.")


@require_POST
def version_delete(request, public_id):
    _require_manager(request.user)
    version = get_version_for_user_or_404(request.user, public_id)
    try:
        services.delete_draft(version)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("referentiel:detail", public_id=version.public_id)
    messages.success(request, "Brouillon supprimé.")
    return redirect("referentiel:list")
