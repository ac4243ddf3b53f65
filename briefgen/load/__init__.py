"""Load stage: discover sources, split and validate front matter, render Markdown."""
