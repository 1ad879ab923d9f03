"""`python -m qabot` runs the command line."""

from qabot.cli import main

raise SystemExit(main())
