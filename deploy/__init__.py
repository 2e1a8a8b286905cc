"""Files to run Libre Assos in production, and `make prod-check` (deploy/check/)."""
