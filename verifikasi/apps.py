from django.apps import AppConfig


class VerifikasiConfig(AppConfig):
    name = "verifikasi"
    verbose_name = "Verifikasi bulanan"

    def ready(self):
        from kinerja import tugas as home

        from . import documents, tugas

        documents.register()
        home.register(tugas.tugas_verifikasi)
