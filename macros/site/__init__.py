"""Layer 4, site: the handbook. Pages per record (pages), Jinja fragments (render, templates/),
charts (visuals), one escaping function per output context (escape), and the thin MkDocs glue
(hooks, publish, macros_api) that only this folder may import.

Imports from every layer below; nothing imports from here except the CLI and mkdocs.yml."""
