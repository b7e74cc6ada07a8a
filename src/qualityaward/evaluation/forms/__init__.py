"""Forms of the evaluation app: one module per part (agency, experts, conflicts)."""
