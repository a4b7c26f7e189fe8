"""The ConnectiveOne (formerly Kwizbot) emulator, served under /connectiveone (see README.md)."""
