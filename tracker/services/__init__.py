"""Use cases: each takes a Session and `now`, applies the domain rules, and returns results."""
