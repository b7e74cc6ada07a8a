"""Reads of the decisions app."""
