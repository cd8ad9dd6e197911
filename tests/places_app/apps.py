from django.apps import AppConfig


class PlacesAppConfig(AppConfig):
    name = "tests.places_app"
    label = "places_app"
    verbose_name = "Places engine test models"
    default_auto_field = "django.db.models.BigAutoField"
