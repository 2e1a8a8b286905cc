"""`make prod-check`: see deploy/check/prod_check.py."""
