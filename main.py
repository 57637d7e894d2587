"""Start ClientCare: ``python main.py [--db PATH] [--demo PATH] [--help]``."""

import multiprocessing

from app.cli import main

if __name__ == "__main__":
    # a packaged build starts its child processes (the risk scores of a large file,
    # app/services/risk_worker.py) through this same program
    multiprocessing.freeze_support()
    raise SystemExit(main())
