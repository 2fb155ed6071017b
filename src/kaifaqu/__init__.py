"""Kaifaqu (开发区): the platform development zones and commerce bureaus run their work on."""
