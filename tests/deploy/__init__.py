"""The deploy's tests share one list of the functions a browser may call."""

# Deployed --allow-unauthenticated with a max-instances cap: a new public function is
# added here once, and the manifest, the plan and the command are all checked for it.
PUBLIC = (
    "intake",
    "openapi",
    "admin",
    "export",
    "analytics",
    "reports",
    "availability",
    "book",
    "booking",
    "track",
    "whatsapp",
    "email_inbound",
)
