"""The household page (`tracker web`): installed with `pip install '.[web]'`."""
