from django.urls import path

from clea.quality import views

app_name = "quality"
urlpatterns = [
    path("habilitations/<uuid:public_id>/retrait/", views.withdraw, name="withdraw"),
    path("habilitations/<uuid:public_id>/suspension/", views.suspend, name="suspend"),
    path("suspensions/<uuid:public_id>/levee/", views.lift, name="lift"),
]
