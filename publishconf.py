"""Production settings: `invoke preview` and `invoke publish` build with these."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

# The public address of the site; feeds and canonical links use it.
SITEURL = os.environ.get("SEEDPRESS_SITEURL", "https://harbourledger.example")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

# Production builds have their own folder: a local build (127.0.0.1 links)
# can never be what gets published.
OUTPUT_PATH = "output-production"

# --- Publishing (`invoke publish`) ------------------------------------------------
# Each value can come from the environment, so CI needs no edits here. Secrets
# never do: SSH keys live in the SSH agent or ~/.ssh, S3 credentials in the
# standard AWS environment variables or ~/.aws. Where the site goes has no
# default: a publish without it stops, naming what to set, and no CNAME file
# is published unless one is given (it would claim a GitHub Pages domain).
env = os.environ.get
SEEDPRESS_PUBLISH_TARGET = env("SEEDPRESS_PUBLISH_TARGET", "rsync")  # or "git", "s3"
SEEDPRESS_RSYNC = {
    "host": env("SEEDPRESS_RSYNC_HOST"),
    "port": int(env("SEEDPRESS_RSYNC_PORT") or 22),  # set but empty: 22 still
    "user": env("SEEDPRESS_RSYNC_USER"),  # None: ssh's own default
    "path": env("SEEDPRESS_RSYNC_PATH"),
}
SEEDPRESS_GIT = {
    "remote": env("SEEDPRESS_GIT_REMOTE"),
    "branch": env("SEEDPRESS_GIT_BRANCH", "gh-pages"),
    "cname": env("SEEDPRESS_GIT_CNAME"),
}
SEEDPRESS_S3 = {
    "bucket": env("SEEDPRESS_S3_BUCKET"),
    "prefix": env("SEEDPRESS_S3_PREFIX", ""),
    "endpoint_url": env("SEEDPRESS_S3_ENDPOINT_URL") or None,  # None: AWS itself
    "region": env("SEEDPRESS_S3_REGION", "us-east-1"),
}
