"""Reaching people: telling a contact, and the record of every notification attempt."""
