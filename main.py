"""Start ClientCare: ``python main.py [--db PATH] [--demo PATH] [--help]``."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
