"""The rekap app has no models yet: compilation, plenary and measurement arrive with their issues."""
