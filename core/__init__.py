"""Shared domain code for the api, agent and workers services. Imports no service."""
