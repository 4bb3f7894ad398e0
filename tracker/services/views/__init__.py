"""Views that read: what the fronts show of the log (status, Today, history, the plan, each
entry's judgement)."""
