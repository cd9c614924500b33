"""Pages: the URLs, the plan of every generated page, and their rendering to Markdown."""
