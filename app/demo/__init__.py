"""Demo and synthetic data of the fictional Järvimaa county: used by the CLI and tests only."""
