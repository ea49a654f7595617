"""The `agkg` command line: a thin skin over the library (`agkg.Graph`).

Commands parse options, call the library and format its rows; one handler (`agkg.cli.main.main`)
turns the library's errors into messages and exit codes (`agkg.cli.exit_codes`).
"""
