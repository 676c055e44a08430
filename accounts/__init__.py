"""Accounts: staff users, their roles and what each role may do."""
