"""Mounted at /verifier/ (public, no login)."""

from django.urls import path

from clea.certificates import public_views

app_name = "verification"
urlpatterns = [
    path("", public_views.verify_form, name="form"),
    path("<str:code>/", public_views.verify_result, name="result"),
]
