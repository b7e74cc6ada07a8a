"""State changes of the decisions app, one module per step (A19–A23)."""
