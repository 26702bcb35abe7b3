"""The JSON verification, to be mounted by the API at /api/v1/verification/ (see ``public_views.verify_api``)."""

from django.urls import path

from clea.certificates import public_views

urlpatterns = [
    path("<str:code>/", public_views.verify_api, name="verification"),
]
