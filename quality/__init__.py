"""Measuring satisfaction for improvement: what opens a follow-up, and following it up."""
