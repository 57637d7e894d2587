"""Data in and out: calendar export (and, with issue 5/8, imports, exports, backups)."""
