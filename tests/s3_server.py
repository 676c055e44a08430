"""A throwaway S3 service for the tests: moto's server on a free loopback port.

boto3 reaches it over real HTTP, as Rifd reaches Amazon S3 or MinIO in production
(RIFD_S3_ENDPOINT_URL); each test gets a bucket of its own. Under pytest-xdist each
worker process starts its own server, on its own port.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
import uuid

import boto3
from moto.server import ThreadedMotoServer

# moto accepts any credentials; these are only to keep boto3 from looking for real ones.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "rifd-test-key",
    "AWS_SECRET_ACCESS_KEY": "rifd-test-secret-never-shown",
    "AWS_DEFAULT_REGION": "us-east-1",
}
_numbers = itertools.count(1)


class S3Server:
    """moto's S3 in a thread of this process, on 127.0.0.1 and a free port."""

    def __init__(self):
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def client(self):
        """Return a boto3 client of this server, for a test to look behind Rifd's back."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_url(self, prefix: str = "rifd/files") -> str:
        """Create an empty bucket and return the files URL of a prefix in it."""
        bucket = f"rifd-{os.getpid()}-{next(_numbers)}-{uuid.uuid4().hex[:8]}"
        self.client().create_bucket(Bucket=bucket)
        return f"s3://{bucket}/{prefix}"

    def keys(self, url: str) -> list[str]:
        """Return the object keys under a files URL."""
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        listed = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))


class KillableS3Server(S3Server):
    """moto's S3 in a process of its own, which stop() kills: a real outage.

    Stopping the threaded server is not one: the connections boto3 keeps open go on
    being served by their threads.
    """

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=10)
