"""All Qt code of ClientCare lives in this package."""
