"""The verified softfile downloads (PDF and XLSX). Implemented with verifikasi/softfile.py."""

from django.http import Http404


def softfile_pegawai(request, pegawai_id, year, month, fmt):
    raise Http404


def softfile_subbagian(request, subbagian_id, year, month, fmt):
    raise Http404
