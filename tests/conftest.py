# Fixtures live in tests/fixtures/, one module per concern, so each area owns its own file.
pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.console",
]
