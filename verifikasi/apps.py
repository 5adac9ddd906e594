from django.apps import AppConfig


class VerifikasiConfig(AppConfig):
    name = "verifikasi"
    verbose_name = "Verifikasi bulanan"

    def ready(self):
        from kinerja import todos as home

        # importing the policy module registers its rules with silabu.policy
        from . import documents, policy, todos  # noqa: F401

        documents.register()
        home.register(todos.todos_verifikasi)
