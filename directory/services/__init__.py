"""Every write and every rule of the directory; views and the CLI call these functions."""
