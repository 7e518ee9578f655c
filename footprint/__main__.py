"""``python -m footprint``: the command-line interface."""

from footprint.cli import main

if __name__ == "__main__":
    main(prog_name="python -m footprint")
