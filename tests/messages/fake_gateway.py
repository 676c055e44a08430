"""A local stand-in for the SMS gateways, speaking their documented requests and answers.

It listens on 127.0.0.1, records each request (path, headers, parsed body) and answers
from a script (status, JSON body, delay) or with the provider's documented success.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

PATHS = {
    "unifonic": "/rest/SMS/messages",
    "taqnyat": "/v1/messages",
    "msegat": "/gw/sendsms.php",
}


def success(provider: str, n: int) -> tuple[int, dict]:
    if provider == "unifonic":
        data = {"MessageID": 3000 + n, "Status": "Sent", "NumberOfUnits": 1, "Cost": 0.05}
        return 200, {"success": True, "message": "", "errorCode": "ER-00", "data": data}
    if provider == "taqnyat":
        return 201, {"statusCode": 201, "messageId": 5000 + n, "cost": "0.0500", "totalCount": 1}
    return 200, {"code": "1", "message": "Success"}


# Each provider's documented refusals.
WRONG_CREDENTIALS = {
    "unifonic": (401, {"success": False, "message": "Authentication failed", "errorCode": "401"}),
    "taqnyat": (401, {"statusCode": 401, "message": "Unauthorized"}),
    "msegat": (200, {"code": "M0002", "message": "Invalid login info"}),
}
NO_BALANCE = {
    "unifonic": (200, {"success": False, "message": "Insufficient balance", "errorCode": "ER-02"}),
    "taqnyat": (402, {"statusCode": 402, "message": "Not enough balance"}),
    "msegat": (200, {"code": "1060", "message": "Balance is not enough"}),
}
BAD_NUMBER = {
    "unifonic": (
        410,
        {"success": False, "message": "Invalid recipient format", "errorCode": "410"},
    ),
    "taqnyat": (400, {"statusCode": 400, "message": "Invalid recipients"}),
    "msegat": (200, {"code": "1120", "message": "Mobile numbers is not correct"}),
}


class Gateway:
    """The fake server: `requests` holds what came in, `script` what to answer next."""

    def __init__(self, provider: str):
        self.provider = provider
        self.requests: list[dict] = []
        self.script: list[tuple] = []  # (status, body) or (status, body, delay seconds)
        self.hold = threading.Event()  # set: answer at once
        self.hold.set()
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw)
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                with gateway.lock:
                    gateway.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    n = len(gateway.requests)
                    step = gateway.script.pop(0) if gateway.script else None
                gateway.arrived.set()
                gateway.hold.wait(30)
                status, answer = step[:2] if step else success(gateway.provider, n)
                if step and len(step) > 2:
                    time.sleep(step[2])
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # Looks for shutdown every 20 ms: at the default 0.5 s, each test waited that long
        # for its gateway to stop (some 70 tests).
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def texts(self) -> list[str]:
        """Return the text of each message received, in order."""
        keys = {"unifonic": "Body", "taqnyat": "body", "msegat": "msg"}
        return [r["body"][keys[self.provider]] for r in self.requests]

    def close(self):
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()
