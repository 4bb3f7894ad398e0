"""Exports for the clinic and for other software: one module per format."""
