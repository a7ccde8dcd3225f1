"""Output formats. Each reporter renders a whole run to a text stream."""
