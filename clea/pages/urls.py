from django.urls import path

from clea.pages import health, views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("sante/", health.health, name="health"),
]
