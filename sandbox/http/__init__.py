"""The HTTP layer: Flask app factory, SCIM routes, admin API and SCIM error responses."""
