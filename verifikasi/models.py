"""The verification app has no models yet: LaporanBulanan arrives with the month-end verification."""
