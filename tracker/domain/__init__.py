"""Pure rules of dosing, schedule, sites and safety: no database, clock or click here."""
