"""State changes of the supervision stage, one module per part. Each is atomic and
appends its audit record in the same transaction."""
