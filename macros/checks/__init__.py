"""Layer 2, checks: every problem in a set of plans documents, positioned (file:line:col) and
explained: shape (the models), references (ids), method (warnings about the strategy).

Imports only from ``macros.data``."""
