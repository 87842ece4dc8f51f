"""``python -m hearth.imports``: see hearth.imports.cli."""

from hearth.imports.cli import main

raise SystemExit(main())
