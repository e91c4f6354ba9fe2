# survey stage: filled in by its issue.
