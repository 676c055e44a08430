"""SMS gateways, each speaking its provider's documented HTTP API.

Unifonic: POST {base}/rest/SMS/messages, form fields AppSid, SenderID, Recipient (966...),
Body, responseType=JSON; answers {"success", "message", "errorCode" ("ER-00" on success),
"data": {"MessageID", "Status", "NumberOfUnits", "Cost"}}; its HTTP codes 401 (credentials),
410/482 (number), 480 (sender) are final, 429 (too many requests) and 5xx are not.
Taqnyat: POST {base}/v1/messages with "Authorization: Bearer <token>" and JSON
{"recipients": [966...], "body", "sender"}; answers 201 with {"statusCode": 201,
"messageId", "cost", ...}, or a statusCode with "message" on refusal.
Msegat: POST {base}/gw/sendsms.php with JSON {"userName", "apiKey", "numbers", "userSender",
"msg", "msgEncoding": "UTF8"}; answers {"code": "1" or "M0000" on success, "message"};
its other codes (1020 login, 1060 balance, 1120 numbers, 1110 sender, ...) are final.

A timeout, a refused connection or a 5xx is always temporary: the sender tries again later.
"""

from __future__ import annotations

import requests

from messages.result import PERMANENT, SENT, TEMPORARY, Result, international, scrub

TIMEOUT = (5, 20)  # connect, read (seconds)
DEFAULT_BASES = {
    "unifonic": "https://el.cloud.unifonic.com",
    "taqnyat": "https://api.taqnyat.sa",
    "msegat": "https://www.msegat.com",
}
# Answers worth trying again, besides network errors and 5xx.
RETRY_STATUS = {408, 425, 429}
MSEGAT_OK = {"1", "M0000"}


class SmsDriver:
    """One gateway: settings in, send(mobile, text) -> Result."""

    name = ""
    needs_user = False

    def __init__(self, settings: dict):
        self.key = settings.get("key", "")
        self.user = settings.get("user", "")
        self.sender = settings.get("sender", "")
        self.base = (settings.get("base_url") or DEFAULT_BASES[self.name]).rstrip("/")

    def send(self, mobile: str, text: str) -> Result:
        try:
            number = international(mobile)
        except ValueError:
            return Result(PERMANENT, "invalid mobile number")
        try:
            response = self.post(number, text)
        except requests.RequestException as exc:
            # The exception names the URL only; no secret travels in these URLs.
            return Result(TEMPORARY, scrub(f"network: {type(exc).__name__}", self.key))
        answer = scrub(f"HTTP {response.status_code} {response.text}", self.key, self.user)
        if response.status_code >= 500 or response.status_code in RETRY_STATUS:
            return Result(TEMPORARY, answer)
        try:
            body = response.json()
        except ValueError:
            return Result(PERMANENT, answer)
        return self.judge(response.status_code, body if isinstance(body, dict) else {}, answer)

    def post(self, number: str, text: str) -> requests.Response:
        raise NotImplementedError

    def judge(self, status: int, body: dict, answer: str) -> Result:
        raise NotImplementedError


class Unifonic(SmsDriver):
    name = "unifonic"

    def post(self, number: str, text: str) -> requests.Response:
        form = {
            "AppSid": self.key,
            "SenderID": self.sender,
            "Recipient": number,
            "Body": text,
            "responseType": "JSON",
        }
        headers = {"Accept": "application/json"}
        return requests.post(
            f"{self.base}/rest/SMS/messages", data=form, headers=headers, timeout=TIMEOUT
        )

    def judge(self, status: int, body: dict, answer: str) -> Result:
        if (
            status == 200
            and body.get("success") in (True, "true")
            and body.get("errorCode", "ER-00") in ("ER-00", "")
        ):
            data = body.get("data") or {}
            return Result(SENT, answer, str(data.get("MessageID", "")))
        return Result(PERMANENT, answer)


class Taqnyat(SmsDriver):
    name = "taqnyat"

    def post(self, number: str, text: str) -> requests.Response:
        payload = {"recipients": [int(number)], "body": text, "sender": self.sender}
        headers = {"Authorization": f"Bearer {self.key}", "Accept": "application/json"}
        return requests.post(
            f"{self.base}/v1/messages", json=payload, headers=headers, timeout=TIMEOUT
        )

    def judge(self, status: int, body: dict, answer: str) -> Result:
        if status in (200, 201) and int(body.get("statusCode", status) or 0) in (200, 201):
            return Result(SENT, answer, str(body.get("messageId", "")))
        return Result(PERMANENT, answer)


class Msegat(SmsDriver):
    name = "msegat"
    needs_user = True

    def post(self, number: str, text: str) -> requests.Response:
        payload = {
            "userName": self.user,
            "apiKey": self.key,
            "numbers": number,
            "userSender": self.sender,
            "msg": text,
            "msgEncoding": "UTF8",
        }
        return requests.post(f"{self.base}/gw/sendsms.php", json=payload, timeout=TIMEOUT)

    def judge(self, status: int, body: dict, answer: str) -> Result:
        if status == 200 and str(body.get("code", "")) in MSEGAT_OK:
            return Result(SENT, answer, str(body.get("id", "") or ""))
        return Result(PERMANENT, answer)


DRIVERS: dict[str, type[SmsDriver]] = {d.name: d for d in (Unifonic, Taqnyat, Msegat)}
