"""Platform clients: one module per platform on the shared HTTP base (`base`); typed errors
in `errors`, records next to each client (`connextlive_records`)."""
