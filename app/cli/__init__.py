"""The `sijill` command line: every task a script would want, on top of the services."""
