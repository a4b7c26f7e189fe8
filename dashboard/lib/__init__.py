"""What every page of the console shares, outside any feature app (as healthchecks keeps hc/lib):

- `filters`: list filter forms over the query string, whose fields clamp or ignore garbage;
- `pager`: where a page of a platform list sits (the platform pages, the console only counts);
- `fragments`: one view answering the full page or the htmx fragment it targets;
- `rows`: the values of a table's rows worked out once in Python, and their rendering through the
  Jinja2 engine (autoescape on), fed only those values;
- `forms`: the project's form renderer (one field template, the CSS kit's control classes);
- `templatetags/lists.py`: the template tags and filters of list and detail pages.

It imports no feature app: feature apps import it.
"""
