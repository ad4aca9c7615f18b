"""Feed writers: each knows feeds and HTML, nothing of seeds or Pelican."""
