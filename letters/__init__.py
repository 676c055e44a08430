"""Official letters: render Word templates safely, number, archive, verify, print."""
