"""What the deploy tests expect of the manifest, in one place: a function added to
functions/main.py and deploy/functions.toml is named here once."""

# Every function a browser (or anyone on the internet) can call: each must set
# max_instances and be deployed with --allow-unauthenticated.
BROWSER_REACHABLE = frozenset(
    {
        "intake",
        "openapi",
        "admin",
        "export",
        "analytics",
        "availability",
        "book",
        "booking",
        "track",
    }
)
