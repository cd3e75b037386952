"""`python -m bot` is the same as the `rag-or-ft` console script."""

from bot.cli import main

raise SystemExit(main())
