from django.urls import path

from api import views

urlpatterns = [
    path("api/health", views.health_view),
    path("api/me", views.me_view),
]
handler404 = views.not_found_view
