"""The meeting scheduler: pure functions over plain data (types.py), no ORM."""
