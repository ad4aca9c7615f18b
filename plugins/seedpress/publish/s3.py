"""S3-compatible object storage (AWS S3, Cloudflare R2, MinIO, SeaweedFS), with boto3.

Credentials come from boto3's standard chain (environment, ~/.aws/config,
instance roles), never from the project. Objects are compared by ETag, which for
single-part uploads is the MD5 of the content.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .errors import PublishError
from .media import cache_control, content_type
from .plan import LocalFile, Plan, make_plan
from .progress import Progress


class S3Target:
    """One bucket (and prefix) holding the site."""

    name = "s3"
    # Options without which it cannot publish (checked before the build).
    required = ("bucket",)

    def __init__(self, options: Mapping[str, Any], client=None):
        self.bucket = options["bucket"]
        self.prefix = options.get("prefix", "").strip("/")
        with self._said("connecting"), _bad_endpoint(options):
            self.client = client or boto3.client(
                "s3",
                endpoint_url=options.get("endpoint_url"),
                region_name=options.get("region", "us-east-1"),
                config=Config(
                    s3={"addressing_style": options.get("addressing_style", "path")},
                    connect_timeout=15,
                    read_timeout=30,
                    retries={"max_attempts": 5, "mode": "standard"},
                ),
            )

    def _key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def remote(self) -> dict[str, str]:
        """{site path: ETag} of every object under the prefix."""
        found = {}
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        for page in pages:
            for item in page.get("Contents", ()):
                found[item["Key"][len(start) :]] = item["ETag"].strip('"')
        return found

    @contextlib.contextmanager
    def _said(self, doing: str) -> Iterator[None]:
        """boto3's failures (no endpoint, no bucket, a refused signature) as a
        PublishError naming the bucket and the reason, not a traceback."""
        try:
            yield
        except (BotoCoreError, ClientError) as exc:
            raise PublishError(f"S3 bucket {self.bucket!r}: {doing} failed: {exc}") from None

    def plan(self, local: Mapping[str, LocalFile], output: Path) -> Plan:
        """Compare by MD5 (the ETag of a single-part upload)."""
        with self._said("listing"):
            return make_plan(local, self.remote())

    def apply(self, plan: Plan, output: Path) -> None:
        """Upload in the plan's order, then delete what is stale."""
        progress = Progress(len(plan.uploads), plan.bytes)
        with self._said("uploading"):
            for file in plan.uploads:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self._key(file.path),
                    Body=(output / file.path).read_bytes(),
                    ContentType=content_type(file.path),
                    CacheControl=cache_control(file.path),
                )
                progress.step(file.size)
        with self._said("deleting"):
            for start in range(0, len(plan.deletes), 1000):
                batch = plan.deletes[start : start + 1000]
                answer = self.client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self._key(p)} for p in batch], "Quiet": True},
                )
                # A key refused (AccessDenied) is an entry in the answer, not an error.
                refused = [f"{e.get('Key')} ({e.get('Code')})" for e in answer.get("Errors", ())]
                if refused:
                    raise PublishError(
                        f"S3 bucket {self.bucket!r}: not deleted: {', '.join(refused)}"
                    )


@contextlib.contextmanager
def _bad_endpoint(options: Mapping[str, Any]) -> Iterator[None]:
    """boto3 refuses an endpoint URL it cannot parse with a ValueError."""
    try:
        yield
    except ValueError as exc:
        raise PublishError(f"S3 endpoint {options.get('endpoint_url')!r}: {exc}") from None
