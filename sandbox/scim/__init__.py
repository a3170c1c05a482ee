"""The SCIM 2.0 protocol engine: pure Python, no web framework.

Functions here take and return plain dicts and raise `ScimError` for anything a client
got wrong; the HTTP layer turns that into an RFC 7644 error response.
"""
