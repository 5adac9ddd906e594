"""The measurement pages (Bontang SOP *Pengukuran Kinerja*): the list with one's to-do, a measurement's page
with the action of its current step, a subbagian's form, and document requests."""
