"""What the behavioural suite (and the demo) need to drive an example like a frontend would."""
