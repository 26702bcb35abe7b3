import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import Application

from tests.oidc_idp import people


@csrf_exempt
def seed(request):
    """POST {"redirect_uris": [...], "post_logout_redirect_uris": [...], "people": [{username, password, claims,
    fault}]}: the test's own world at the provider."""
    data = json.loads(request.body)
    for app in Application.objects.all():
        app.redirect_uris = " ".join(data.get("redirect_uris", []))
        app.post_logout_redirect_uris = " ".join(data.get("post_logout_redirect_uris", []))
        app.save()
    for person in data.get("people", []):
        user, _ = User.objects.get_or_create(username=person["username"])
        user.set_password(person["password"])
        user.save()
        people.CLAIMS[user.username] = person.get("claims", {})
        if person.get("fault"):
            people.FAULTS[user.username] = person["fault"]
        else:
            people.FAULTS.pop(user.username, None)
    return JsonResponse({"ok": True})


def home(request):
    return HttpResponse("Fournisseur d'identité de test")


urlpatterns = [
    path("", home),
    path("test/seed/", seed),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
