"""LivePerson's Messaging Connector API (seeds/004): served under /liveperson."""
