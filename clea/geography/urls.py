from django.urls import path

from clea.geography import views

app_name = "geography"
urlpatterns = [
    path("communes/", views.commune_options, name="commune_options"),
    path("communes/suggestions/", views.commune_suggestions, name="commune_suggestions"),
]
