from django.urls import path

from .views import queue, review, softfile

app_name = "verifikasi"

month = "<int:pegawai_id>/<int:year>/<int:month>/"

urlpatterns = [
    path("", queue.antrean, name="antrean"),
    path(month, review.periksa, name="periksa"),
    path(month + "entri/<int:entri_id>/setujui/", review.setujui, name="setujui"),
    path(month + "entri/<int:entri_id>/kembalikan/", review.kembalikan, name="kembalikan"),
    path(month + "setujui-semua/", review.setujui_semua, name="setujui_semua"),
    path(month + "verifikasi/", review.verifikasi, name="verifikasi"),
    path(month + "buka-kembali/", review.buka_kembali, name="buka_kembali"),
    path(month + "softfile.<str:fmt>", softfile.softfile_pegawai, name="softfile_pegawai"),
    path(
        "subbagian/<int:subbagian_id>/<int:year>/<int:month>/softfile.<str:fmt>",
        softfile.softfile_subbagian,
        name="softfile_subbagian",
    ),
]
