from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clea.api import referentiels

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("referentiels/", referentiels.ReferentielListView.as_view(), name="referentiel-list"),
    path(
        "referentiels/<slug:code>/",
        referentiels.ReferentielDetailView.as_view(),
        name="referentiel-detail",
    ),
]
