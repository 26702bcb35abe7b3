from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Administration de la plateforme CléA"
admin.site.site_title = "Plateforme CléA"
# French pages (JSON for the API), and a 503 with Retry-After while the database is unreachable.
handler500 = "clea.lib.failures.server_error"
handler404 = "clea.lib.failures.page_not_found"
handler403 = "clea.lib.failures.permission_denied"
handler400 = "clea.lib.failures.bad_request"

urlpatterns = [
    path("", include("clea.pages.urls")),
    path("compte/", include("clea.accounts.urls")),
    path("compte/notifications/", include("clea.notifications.urls")),
    path("compte/jetons/", include("clea.api.token_urls")),
    path("referentiels/", include("clea.referentiel.urls")),
    path("organisations/", include("clea.organisations.urls")),
    path("dossiers/", include("clea.dossiers.urls")),
    path("dossiers/", include("clea.evaluations.urls")),
    path("dossiers/", include("clea.training.urls")),
    path("", include("clea.funding.urls")),
    path("", include("clea.absences.urls")),
    path("", include("clea.candidates.urls")),
    path("", include("clea.privacy.urls")),
    path("orientations/", include("clea.referrals.urls")),
    path("reunions/", include("clea.meetings.urls")),
    path("jurys/", include("clea.jury.urls")),
    path("geographie/", include("clea.geography.urls")),
    path("certificats/", include("clea.certificates.urls")),
    path("verifier/", include("clea.certificates.public_urls")),
    path("annuaire/", include("clea.directory.urls")),
    path("journal/", include("clea.audit.urls")),
    path("controle/", include("clea.quality.urls")),
    path("habilitation/", include("clea.campaigns.urls")),
    path("api/v1/", include("clea.api.urls")),
    path("admin/", admin.site.urls),
]
