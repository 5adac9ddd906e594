"""The demo data set that `make run` loads (`manage.py seed_demo`).

It sits above every app (kinerja, verifikasi, rekap, pengukuran) and is the only package that imports all of
them; no app imports it. It writes through the apps' own services, as a user would.
"""
