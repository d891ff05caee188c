"""Questions the assistant could not answer (fallbacks, "not found", out of scope, handoffs), with
personal data masked, grouped by similarity for staff to resolve."""
