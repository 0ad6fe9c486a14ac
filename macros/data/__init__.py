"""Layer 1, data: read plans files with positions (loader), validate them against the models
(fields, models), declare the kinds of record (kinds), and hold the checked strategy (plan).

Imports nothing from the layers above (checks, review, site)."""
