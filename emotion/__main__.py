"""Entry point of `python -m emotion`."""

from emotion.cli import main

raise SystemExit(main())
