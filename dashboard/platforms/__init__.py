"""Platform clients: one module per platform on the shared HTTP base (`base`); typed errors
in `errors`; records on the one record base (`records`), next to each client
(`connextlive_records`, the records section of `connectiveone`)."""
