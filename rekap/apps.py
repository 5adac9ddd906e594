from django.apps import AppConfig


class RekapConfig(AppConfig):
    name = "rekap"
    verbose_name = "Rekap, pleno dan pengukuran"

    def ready(self):
        from kinerja import tugas as home

        from . import documents, tugas

        documents.register()
        home.register(tugas.tugas_rekap)
