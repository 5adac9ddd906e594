from django.apps import AppConfig


class SilabuConfig(AppConfig):
    name = "silabu"
    verbose_name = "SILABU"
