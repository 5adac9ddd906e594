from django.apps import AppConfig


class SilabuConfig(AppConfig):
    name = "silabu"
    verbose_name = "SILABU"

    def ready(self):
        from silabu.ops import policy  # noqa: F401  (registers view_ops)
