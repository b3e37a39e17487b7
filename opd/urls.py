from django.urls import path

from opd import views

urlpatterns = [
    path("", views.opd_list, name="opd_list"),
    path("<int:pk>/", views.opd_detail, name="opd_detail"),
]
