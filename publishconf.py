"""Production settings: `invoke preview` and `invoke publish` build with these."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

# The public address of the site; feeds and canonical links use it.
SITEURL = os.environ.get("SEEDPRESS_SITEURL", "https://harbourledger.example")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

DELETE_OUTPUT_DIRECTORY = True
