"""Run trainwizard as `python -m wizard`."""

from wizard.cli import main

main()
