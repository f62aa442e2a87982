"""Import of legacy spreadsheets: recommendations from XLSX or CSV files (INTERFACE.md)."""
