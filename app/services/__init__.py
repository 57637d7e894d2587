"""The product's rules: pure Python over SQLAlchemy sessions. No Qt below this package."""
