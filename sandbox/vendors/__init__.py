"""Vendor profiles: what differs per emulated vendor, as data (`vendors/*.toml`)."""

from sandbox.vendors.loader import bundled_vendors_dir, load_profile, load_profiles
from sandbox.vendors.profile import Profile, ProfileError, ResourceTypeProfile

__all__ = [
    "Profile",
    "ProfileError",
    "ResourceTypeProfile",
    "bundled_vendors_dir",
    "load_profile",
    "load_profiles",
]
