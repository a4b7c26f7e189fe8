"""konversation Connect, a white label of UChat (seeds/002): served under /uchat/api."""
