"""`python -m qabot` runs the command line."""

from qabot.cli.main import main

raise SystemExit(main())
