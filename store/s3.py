"""Files in S3-compatible object storage (Amazon S3, MinIO, Ceph, ...), through boto3.

    RIFD_FILES_URL=s3://bucket/prefix      <prefix>/ab/cdef...   one object per file
    RIFD_S3_ENDPOINT_URL=https://...       any S3-compatible service (none: Amazon S3)
    RIFD_S3_REGION=me-central-1

The objects are named as the data folder's files are (store/blobs.py), so a backup
holds them at the same paths whichever kind kept them. An object appears whole or not
at all: S3 stores a put (and a multipart upload, on completion) atomically.

Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
a profile, an instance role); Rifd never reads, logs or shows them. An unreachable
service, a refusal or missing credentials raise FilesUnavailable: the page says so in
Arabic and nothing of the request is stored (web/errors.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO
from urllib.parse import urlsplit

import boto3
from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from urllib3.exceptions import HTTPError

from store.blobs import FILES_SCHEME, Files
from store.errors import FilesUnavailable, NotFoundError, StoreError
from store.layout import check_digest

_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
# A page waits at most about this long for an unreachable service before its error page.
_CONFIG = dict(
    connect_timeout=5,
    read_timeout=30,
    retries={"max_attempts": 3, "mode": "standard"},
    # boto3 >= 1.36 adds CRC checksums to every put, which several S3-compatible
    # services refuse: send them only where the API requires one.
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)
# One boto3 session for the process: making one parses the service's models (~0.3 s);
# a client made from it is cheap. Sessions are not thread-safe: clients are made under
# the lock. A session holds no connection, so a forked child may go on using it.
_SESSION: list[boto3.session.Session] = []
_LOCK = threading.Lock()
# Multipart above 16 MB, read in order from one thread (put_stream hashes as it reads).
_TRANSFER = TransferConfig(multipart_threshold=16 << 20, use_threads=False)


def parse_url(url: str) -> tuple[str, str]:
    """Return (bucket, prefix) of s3://bucket/prefix; StoreError for anything else."""
    if not url.startswith(FILES_SCHEME):
        raise StoreError("a files URL looks like s3://bucket/prefix")
    bucket, _, prefix = url[len(FILES_SCHEME) :].partition("/")
    if not bucket or any(c in bucket for c in "@:?#"):
        raise StoreError("a files URL looks like s3://bucket/prefix")
    return bucket, prefix.strip("/")


def _shown(endpoint: str | None) -> str:
    """Return the endpoint without any user or password written into it."""
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")


class S3Files(Files):
    """Content-addressed files as objects of one bucket, under one prefix."""

    def __init__(self, url: str, *, endpoint_url: str | None = None, region: str | None = None):
        self.bucket, self.prefix = parse_url(url)
        self.endpoint_url, self.region = endpoint_url or None, region or None
        where = f" at {_shown(endpoint_url)}" if endpoint_url else ""
        self.location = f"{FILES_SCHEME}{self.bucket}/{self.prefix}{where}"
        self._client, self._pid = None, None

    def __repr__(self) -> str:
        return f"S3Files({self.location!r})"

    def _s3(self):
        # One client per process: gunicorn makes the app before it forks its workers, and
        # a connection inherited from the parent would carry two processes' requests.
        with _LOCK:
            if self._pid != os.getpid():
                config = Config(
                    **_CONFIG, s3={"addressing_style": "path" if self.endpoint_url else "auto"}
                )
                if not _SESSION:
                    _SESSION.append(boto3.session.Session())
                self._client = _SESSION[0].client(
                    "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
                )
                self._pid = os.getpid()
            return self._client

    def key(self, digest: str) -> str:
        """Return the object key of the file with this digest."""
        digest = check_digest(digest)
        return f"{self.prefix}/{digest[:2]}/{digest[2:]}".lstrip("/")

    @contextmanager
    def _errors(self, digest: str | None = None) -> Iterator[None]:
        try:
            yield
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if digest is not None and code in _MISSING:
                raise NotFoundError(f"no stored file {digest}") from None
            raise FilesUnavailable(f"{self.location}: {code or exc}") from exc
        except (BotoCoreError, Boto3Error, HTTPError, OSError) as exc:
            # Connection refused, time-outs, no credentials, a failed upload: boto's
            # messages name the endpoint and the operation, never a key.
            raise FilesUnavailable(f"{self.location}: {exc}") from exc

    def check(self) -> None:
        """Raise FilesUnavailable unless the bucket can be reached with these credentials."""
        with self._errors():
            self._s3().head_bucket(Bucket=self.bucket)

    def put(self, data: bytes) -> str:
        data = bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        with self._errors():
            self._s3().put_object(Bucket=self.bucket, Key=self.key(digest), Body=data)
        return digest

    def put_stream(self, digest: str, stream: BinaryIO) -> None:
        if self.exists(digest):
            return  # content-addressed: the object there already holds these bytes
        reader = _Hashing(stream)
        with self._errors():
            self._s3().upload_fileobj(reader, self.bucket, self.key(digest), Config=_TRANSFER)
        if reader.hexdigest() != digest:
            self.delete(digest)
            raise StoreError(f"the content of file {digest} does not match its name")

    def open(self, digest: str) -> BinaryIO:
        with self._errors(digest):
            body = self._s3().get_object(Bucket=self.bucket, Key=self.key(digest))["Body"]
        return io.BufferedReader(_Body(body, self), buffer_size=1 << 16)

    def exists(self, digest: str) -> bool:
        try:
            with self._errors(digest):
                self._s3().head_object(Bucket=self.bucket, Key=self.key(digest))
        except NotFoundError:
            return False
        return True

    def delete(self, digest: str) -> bool:
        if not self.exists(digest):
            return False
        with self._errors():
            self._s3().delete_object(Bucket=self.bucket, Key=self.key(digest))
        return True

    def listing(self) -> Iterator[tuple[str, int]]:
        start = f"{self.prefix}/" if self.prefix else ""
        pages = (
            self._s3().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
        )
        with self._errors():
            for page in pages:
                for item in page.get("Contents", []):
                    top, _, rest = item["Key"][len(start) :].partition("/")
                    if len(top) == 2 and "/" not in rest and _is_digest(top + rest):
                        yield top + rest, item["Size"]


def _is_digest(name: str) -> bool:
    try:
        check_digest(name)
    except StoreError:
        return False
    return True


class _Hashing:
    """Pass reads through and hash what they return."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._hash = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        chunk = self._stream.read(n)
        self._hash.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _Body(io.RawIOBase):
    """An object's content read in chunks; a broken connection mid-read is FilesUnavailable."""

    def __init__(self, body, files: S3Files):
        self._body, self._files = body, files

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        with self._files._errors():
            data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()
