"""Event pages: `public_and_participants` for everyone and participants, `organisers`
for the event's organisers. Views parse input, call one service or selector, render."""
