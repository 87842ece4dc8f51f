"""``python -m devstack.deploy``: put Hearth live in the owner's Firebase project.

The manifest (deploy/functions.toml) says what exists; plan.py turns it into the
gcloud and firebase commands, in order; checks.py proves offline what can be proved
(entry points, rules, indexes, the admin page); runner.py runs the commands, or only
prints them for a dry run. It lives beside the local stack because it too runs on the
owner's laptop, is linted and tested with it, and is never uploaded
(functions/.gcloudignore leaves devstack/ out of the functions' source).
"""
