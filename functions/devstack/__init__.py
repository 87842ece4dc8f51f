"""The local stack: real emulators, every function, the admin page and a demo site.

Not part of the deployed functions (see functions/.gcloudignore); it exists so that one
command gives a newcomer the whole product on their machine, and so the tests start
exactly what a developer starts.
"""
