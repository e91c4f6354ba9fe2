# documents stage: filled in by its issue.
