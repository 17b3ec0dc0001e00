"""The command line: the group and one module per command family (see app.py)."""
