"""Plugin machinery: hook specifications, the pluggy manager and the registry of what plugins offer."""
