"""The study's own code: small pure functions (here) and thin scripts (scripts/) that
the rules in workflow/rules/ run."""
