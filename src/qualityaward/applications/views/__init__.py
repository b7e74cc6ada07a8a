"""Pages of the applications app: one module per part."""
