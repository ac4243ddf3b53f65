"""`s3://BUCKET[/PREFIX]`: the site as objects in S3 or an S3-compatible store (boto3).

Owns: listing the objects under the prefix, deciding which are unchanged, uploading with
Content-Type and Cache-Control, and deleting stale objects in batches. An object is
unchanged when its ETag is the MD5 of the file (true for single-part uploads without
KMS), or failing that when the sha256 briefgen stores in its metadata matches; only
objects whose ETag differs cost a HEAD request. Assets go up before pages (plan order),
a few at a time; deletes come last. `_headers` and `_redirects` are left out: they
configure other hosts, and S3 gets the same headers on each object.
Must not: read credentials itself (boto3 finds them in the environment, ~/.aws or the
instance role), or import boto3 before an S3 target is used (it is an optional extra).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from briefgen.publish.local import LocalFile, PublishError
from briefgen.publish.plan import Plan, phases
from briefgen.render.hosting import cache_control

SHA_KEY = "sha256"  # x-amz-meta-sha256
WORKERS = 8
_HOST_FILES = ("_headers", "_redirects")
_UTF8 = "; charset=utf-8"
# Explicit, so that uploads do not depend on the machine's mime.types.
_TYPES = {
    ".html": "text/html" + _UTF8,
    ".css": "text/css" + _UTF8,
    ".js": "text/javascript" + _UTF8,
    ".mjs": "text/javascript" + _UTF8,
    ".json": "application/json" + _UTF8,
    ".map": "application/json" + _UTF8,
    ".xml": "application/xml" + _UTF8,
    ".txt": "text/plain" + _UTF8,
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".webmanifest": "application/manifest+json",
}


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in _TYPES:
        return _TYPES[ext]
    guessed = mimetypes.guess_type(name, strict=True)[0] or "application/octet-stream"
    return guessed + _UTF8 if guessed.startswith("text/") else guessed


def parse_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix/")."""
    rest = url.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise PublishError(f"`{url}` names no bucket: write s3://BUCKET[/PREFIX]")
    prefix = "/".join(p for p in prefix.split("/") if p)
    return bucket, prefix + "/" if prefix else ""


class S3Target:
    keep: frozenset[str] = frozenset()

    def __init__(self, url: str, endpoint_url: str = "", region: str = "") -> None:
        self.bucket, self.prefix = parse_url(url)
        self.label = f"s3://{self.bucket}/{self.prefix}"
        try:
            import boto3
            from botocore.config import Config
            from botocore.exceptions import BotoCoreError, ClientError
        except ImportError:
            raise PublishError(
                "publishing to S3 needs boto3, which is not installed\n"
                "    hint: pip install 'briefgen[s3]'"
            ) from None
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            config=Config(retries={"mode": "standard"}, max_pool_connections=WORKERS * 2),
        )
        self._failures = (BotoCoreError, ClientError)

    tree = False  # keys are flat: `api` and `api/x.json` can both exist

    def close(self) -> None:
        self._client.close()

    def refusal(self, plan: Plan) -> str | None:
        return None

    def has_work(self, plan: Plan) -> bool:
        return plan.changes

    def select(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        return {p: f for p, f in files.items() if p not in _HOST_FILES}

    def digest(self, file: LocalFile) -> str:
        return file.md5

    def state(self, files: Mapping[str, LocalFile]) -> dict[str, str]:
        out: dict[str, str] = {}
        pages = self._call(
            self._client.get_paginator("list_objects_v2").paginate,
            Bucket=self.bucket,
            Prefix=self.prefix,
        )
        for page in self._pages(pages):
            for obj in page.get("Contents", []):
                rel = obj["Key"][len(self.prefix) :]
                if rel and not rel.endswith("/"):  # "folder" markers are not site files
                    out[rel] = obj.get("ETag", "").strip('"')
        for rel, etag in list(out.items()):
            local = files.get(rel)
            if local is not None and etag != local.md5 and self._stored_sha(rel) == local.sha256:
                out[rel] = local.md5  # same bytes, uploaded another way (multipart, KMS)
        return out

    def apply(self, plan: Plan, files: Mapping[str, LocalFile], message: str) -> str:
        # A few at a time within a phase; every asset is in place before any page is sent.
        for phase in phases([*plan.upload, *plan.update]):
            self._parallel(lambda rel: self._put(rel, files[rel]), phase)
        for start in range(0, len(plan.delete), 1000):  # the API's batch limit
            batch = plan.delete[start : start + 1000]
            reply = self._call(
                self._client.delete_objects,
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": self.prefix + p} for p in batch], "Quiet": True},
            )
            if reply.get("Errors"):
                first = reply["Errors"][0]
                raise PublishError(
                    f"could not delete {len(reply['Errors'])} objects from {self.label}, "
                    f"e.g. {first.get('Key')}: {first.get('Message')}; publish again"
                )
        return (
            f"{len(plan.upload)} uploaded, {len(plan.update)} updated, "
            f"{len(plan.delete)} deleted at {self.label}"
        )

    def _put(self, rel: str, file: LocalFile) -> None:
        data = file.read()
        self._call(
            self._client.put_object,
            Bucket=self.bucket,
            Key=self.prefix + rel,
            Body=data,
            ContentType=content_type(rel),
            CacheControl=cache_control(rel),
            ContentMD5=base64.b64encode(bytes.fromhex(file.md5)).decode(),
            Metadata={SHA_KEY: file.sha256},
        )

    def _stored_sha(self, rel: str) -> str:
        head = self._call(self._client.head_object, Bucket=self.bucket, Key=self.prefix + rel)
        return str(head.get("Metadata", {}).get(SHA_KEY, ""))

    def _parallel(self, fn: Callable[[str], None], items: Iterable[str]) -> None:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for _ in pool.map(fn, items):  # re-raises the first failure
                pass

    def _pages(self, pages: Iterable[dict]) -> Iterable[dict]:
        try:
            yield from pages
        except self._failures as exc:
            raise self._error(exc) from None

    def _call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except self._failures as exc:
            raise self._error(exc) from None

    def _error(self, exc: Exception) -> PublishError:
        from botocore.exceptions import ClientError, NoCredentialsError

        if isinstance(exc, NoCredentialsError):
            return PublishError(
                f"no credentials for {self.label}\n    hint: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (briefgen.yaml never holds credentials)"
            )
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = error.get("Code", "error")
            return PublishError(f"{self.label}: {code}: {error.get('Message', exc)}")
        return PublishError(f"{self.label}: {exc}")
