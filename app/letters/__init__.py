"""Letters: Jinja + Markdown templates rendered to DOCX and PDF through pandoc and WeasyPrint."""
