"""The site's URLs with the JSON verification mounted where the API will mount it (/api/v1/verification/)."""

from django.urls import include, path

from config.urls import urlpatterns as site

urlpatterns = [path("api/v1/verification/", include("clea.certificates.api_urls")), *site]
