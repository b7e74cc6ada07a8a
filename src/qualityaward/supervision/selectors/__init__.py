"""Reads of the supervision stage: what each user may see."""
