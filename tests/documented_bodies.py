"""Request bodies as Microsoft's SCIM endpoint tutorial prints them, for the tests that
check the simulator sends them and the sandbox accepts them byte for byte."""

# Example 5, "update a user": the manager reference, the manager's id and the Tenant URL
# as placeholders.
DOCUMENTED_MANAGER_ID = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
# `\x20` is the blank the page prints after `"schemas":`, spelled out so no editor strips it.
DOCUMENTED_MANAGER_PATCH = """{
    "schemas":\x20
    [
      "urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":
    [
      {
        "op":"Add",
        "path":"manager",
        "value":
          [
            {
              "$ref":"http://.../scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
              "value":"00aa00aa-bb11-cc22-dd33-44ee44ee44ee"}]}]}"""
