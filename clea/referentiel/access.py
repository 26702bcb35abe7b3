from django.http import Http404

from clea.referentiel.models import ReferentielVersion


def get_version_for_user_or_404(user, public_id, *, structure: bool = False) -> ReferentielVersion:
    versions = ReferentielVersion.objects.visible_to(user).select_related("certification")
    if structure:
        versions = versions.with_structure()
    version = versions.filter(public_id=public_id).first()
    if version is None:
        raise Http404("Version de référentiel introuvable.")
    return version
