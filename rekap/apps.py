from django.apps import AppConfig


class RekapConfig(AppConfig):
    name = "rekap"
    verbose_name = "Rekap, pleno dan pengukuran"

    def ready(self):
        from kinerja import todos as home

        from . import documents, todos

        documents.register()
        home.register(todos.todos_rekap)
