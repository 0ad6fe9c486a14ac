"""Layer 3, review: plans across git revisions: reading revisions (gitdata), the semantic diff
for pull requests, the change history page's data, and CODEOWNERS from the plans' owners.

Imports from ``macros.data`` and ``macros.checks``; never from MkDocs."""
