"""Pages of the supervision stage. Thin: parse, call a service or selector, render."""
