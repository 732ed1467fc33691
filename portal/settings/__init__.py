"""Settings modules: base reads the environment, test adds test-only overrides."""
