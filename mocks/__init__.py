"""Faithful mock servers for five SaaS APIs."""
