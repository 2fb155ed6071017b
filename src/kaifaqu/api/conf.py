"""Settings of the REST API, imported by the project settings. Placeholder until the API lands."""

REST_FRAMEWORK: dict[str, object] = {}
SPECTACULAR_SETTINGS: dict[str, object] = {}
