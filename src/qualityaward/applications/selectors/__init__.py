"""Reads of the applications app: one module per part (applicants, records, eligibility)."""
