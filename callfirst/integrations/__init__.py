"""Everything that touches files, the network or Google lives here."""
