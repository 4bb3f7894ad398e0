"""Reminders: what to notify and when (planner), how (channels), and the service that runs it."""
