"""``python -m devstack.deploy --project ID [--region R] [--dry-run]`` (make deploy)."""

import sys

from devstack.deploy.command import main

sys.exit(main())
