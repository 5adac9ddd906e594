from django.apps import AppConfig


class VerifikasiConfig(AppConfig):
    name = "verifikasi"
    verbose_name = "Verifikasi bulanan"

    def ready(self):
        from kinerja import todos as home

        from . import documents, todos

        documents.register()
        home.register(todos.todos_verifikasi)
