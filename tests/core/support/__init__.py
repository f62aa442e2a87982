"""Programs and job functions that tests run in separate worker processes."""
