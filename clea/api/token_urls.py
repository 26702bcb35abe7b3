"""Token screens, mounted at ``/compte/jetons/``."""

from django.urls import path

from clea.api import token_views

app_name = "tokens"
urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("tous/", token_views.all_tokens, name="all"),
    path("<uuid:public_id>/revocation/", token_views.token_revoke, name="revoke"),
]
