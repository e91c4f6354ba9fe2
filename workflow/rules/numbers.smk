# numbers stage: filled in by its issue.
