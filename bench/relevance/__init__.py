"""Relevance of the search on the seed data: judged queries and their figures
(`make relevance`, see __main__.py); a measurement that prints, never a test."""
