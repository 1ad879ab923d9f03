"""The `qabot` command line, a thin layer over the library: :mod:`main`
runs a command, :mod:`parser` holds every command's options (those shared
by several in :mod:`options`), and each command has its module: :mod:`chat`,
:mod:`ask`, :mod:`index`, :mod:`add`, :mod:`listing`, :mod:`remove`,
:mod:`check`, :mod:`evaluate`. :mod:`limits` reads `--article`,
:mod:`render` writes answers out, :mod:`progress` draws progress bars,
:mod:`output` holds the exit codes and notices."""
