"""Use cases that write: each records what happened and returns what tracker tells a person
(outcome.Told)."""
