"""Master data pages: output codes (Rendatin) and staff (Admin). Implemented with the import services."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


kode_output_list = kode_output_import = kode_output_toggle = _todo
pegawai_list = pegawai_import = pegawai_reset_password = _todo
