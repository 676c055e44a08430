"""Turn rendered letters (.docx bytes) into PDF bytes with LibreOffice, cold or kept warm.

Cold: one soffice call each time (~1.5 s a letter). Warm: a LibreOffice kept running behind
unoserver (~0.1 s). Each converter has its own profile folder: two soffice sharing one fail.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import io
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
import zipfile
from importlib.util import find_spec
from pathlib import Path

log = logging.getLogger(__name__)

NEEDS_LIBREOFFICE = (
    "إنشاء ملف PDF يتطلب تثبيت LibreOffice على الخادم. "
    "PDF needs LibreOffice (soffice) installed on the server."
)
# Without a forced import filter LibreOffice opens any bytes as plain text and "succeeds"
# with a PDF of garbage; with it, a damaged document fails to load.
DOCX_FILTER = "MS Word 2007 XML"
# Time allowed for each letter after the first in one soffice call (~0.15 s measured).
PER_EXTRA_LETTER = 5.0
# The server runs under a Python that has `uno` (Debian's python3-uno is built for the
# system python3 only); unoserver is pure Python, so it comes from our own environment,
# appended to sys.path so that it never shadows that Python's own modules.
SERVER_BOOT = (
    "import sys; sys.path.append(sys.argv.pop(1)); "
    "from unoserver.server import main; sys.exit(main())"
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, so no PDF can be made."""


class PdfError(RuntimeError):
    """LibreOffice could not convert a letter, or took too long."""


def soffice_path() -> str | None:
    """Return the LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    """Tell whether PDFs can be made here."""
    return soffice_path() is not None


def check_docx(docx: bytes) -> None:
    """Raise PdfError unless the bytes are a Word document, before LibreOffice is started."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            if "word/document.xml" in package.namelist():
                return
    except zipfile.BadZipFile:
        pass
    raise PdfError("The file is not a Word (.docx) document.")


def _spawn(cmd: list[str], log_path: Path) -> subprocess.Popen:
    """Start a command in a process group of its own, its output going to `log_path`.

    Its temporary files go beside the log, in the folder removed after it: a LibreOffice
    killed (a time-out, a recycled server) left its folder in the system's one each time.
    """
    temp = log_path.parent / "tmp"
    temp.mkdir(exist_ok=True)
    # A file, not a pipe: a lingering child holding a pipe open would keep us waiting.
    with open(log_path, "wb") as out:
        return subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(temp)},
        )


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill a process and everything it started (soffice forks oosplash and soffice.bin)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _log_end(path: Path) -> str:
    """Return the last lines a server wrote, for an error message."""
    with contextlib.suppress(OSError):
        return " ".join(path.read_text(errors="replace").split())[-400:]
    return ""


def _log_tail(path: Path) -> str:
    """Return the error lines of a LibreOffice log, for an error message."""
    with contextlib.suppress(OSError):
        lines = path.read_text(errors="replace").splitlines()
        return " ".join(line for line in lines if "rror" in line)[-400:]
    return ""


class PdfConverter:
    """Convert with one soffice call at a time, in a profile folder of this converter's own."""

    def __init__(self, workdir: str | Path | None = None, timeout: float = 60):
        if workdir is not None:
            Path(workdir).mkdir(parents=True, exist_ok=True)
        # A fresh folder even inside a shared workdir: the profile must never be shared.
        self._dir = Path(tempfile.mkdtemp(prefix="rifd-pdf-", dir=workdir))
        self.timeout = timeout
        self._lock = threading.RLock()
        self._jobs = 0
        self._owner = os.getpid()
        atexit.register(self.close)

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def convert(self, docx: bytes) -> bytes:
        """Return the PDF of one letter."""
        return self.convert_many([docx])[0]

    def convert_many(self, docs: list[bytes]) -> list[bytes]:
        """Return the PDFs of many letters, made by a single soffice call."""
        exe = soffice_path()
        if exe is None:
            raise PdfUnavailable(NEEDS_LIBREOFFICE)
        for docx in docs:
            check_docx(docx)
        if not docs:
            return []
        with self._lock:
            self._jobs += 1
            job = self._dir / f"job-{self._jobs}"
            try:
                return self._soffice(exe, job, docs)
            finally:
                shutil.rmtree(job, ignore_errors=True)

    def _soffice(self, exe: str, job: Path, docs: list[bytes]) -> list[bytes]:
        """Write the letters into `job`, convert them all, read the PDFs back."""
        (job / "in").mkdir(parents=True)
        paths = [job / "in" / f"{n:05d}.docx" for n in range(len(docs))]
        for path, docx in zip(paths, docs, strict=True):
            path.write_bytes(docx)
        profile = (self._dir / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        cmd += ["--nologo", "--nodefault", "--nofirststartwizard", f"--infilter={DOCX_FILTER}"]
        cmd += ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(job / "out")]
        limit = self.timeout + PER_EXTRA_LETTER * (len(docs) - 1)
        proc = _spawn([*cmd, *map(str, paths)], job / "soffice.log")
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PdfError(f"LibreOffice took longer than {limit:.0f} s.") from None
        return [_read_pdf(job, path, len(docs)) for path in paths]

    def close(self) -> None:
        """Remove this converter's folder (profile and leftovers)."""
        if os.getpid() != self._owner:
            return  # a forked child must not tear down its parent's converter
        with self._lock:
            atexit.unregister(self.close)
            shutil.rmtree(self._dir, ignore_errors=True)


def _read_pdf(job: Path, source: Path, count: int) -> bytes:
    """Return the PDF soffice wrote for `source`, or raise with what soffice said."""
    with contextlib.suppress(OSError):
        pdf = (job / "out" / f"{source.stem}.pdf").read_bytes()
        if pdf.startswith(b"%PDF-"):
            return pdf
    which = f"letter {int(source.stem) + 1} of {count}" if count > 1 else "the letter"
    raise PdfError(f"LibreOffice could not convert {which}. {_log_tail(job / 'soffice.log')}")


def _unoserver_home() -> str | None:
    """Return the folder our unoserver package is installed in, or None."""
    spec = find_spec("unoserver")
    return str(Path(spec.origin).parent.parent) if spec and spec.origin else None


def uno_python() -> str | None:
    """Return a Python that can run the unoserver server (it needs `uno`), or None."""
    python = os.environ.get("RIFD_UNO_PYTHON", "/usr/bin/python3")
    home = _unoserver_home()
    if home is None or not os.path.exists(python):
        return None
    probe = "import sys; sys.path.append(sys.argv[1]); import uno, unoserver.server"
    try:
        done = subprocess.run([python, "-c", probe, home], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return python if done.returncode == 0 else None


def _free_port() -> int:
    """Return a localhost TCP port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _ServerGone(PdfError):
    """The warm server vanished between two letters."""


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a socket timeout, so a stuck server cannot hang a request."""

    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self._timeout
        return conn


class WarmConverter(PdfConverter):
    """Keep one LibreOffice running behind a unoserver server of this converter's own."""

    def __init__(self, workdir=None, timeout: float = 60, python: str | None = None):
        super().__init__(workdir, timeout)
        self.python = python or uno_python()
        self.startup_timeout = 60.0
        # LibreOffice grows, ~120 MB at start to ~460 MB after 500 letters: recycle it then.
        self.max_conversions = 500
        self._server: subprocess.Popen | None = None
        self._url = ""
        self._served = 0
        self._starts = 0

    def start(self) -> None:
        """Start the server now rather than on the first letter (it takes ~5 s)."""
        with self._lock:
            self._ensure()

    def convert(self, docx: bytes) -> bytes:
        """Return the PDF of one letter."""
        if soffice_path() is None:
            raise PdfUnavailable(NEEDS_LIBREOFFICE)
        check_docx(docx)
        with self._lock:
            try:
                return self._call(docx)
            except _ServerGone:
                return self._call(docx)  # it died under us (a crash): one fresh start

    def convert_many(self, docs: list[bytes]) -> list[bytes]:
        """Return the PDFs of many letters, one warm conversion each."""
        return [self.convert(docx) for docx in docs]

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(self._url, _Transport(timeout), allow_none=True)

    def _call(self, docx: bytes) -> bytes:
        """Convert one letter on the server, started if need be (API 3 positional arguments)."""
        self._ensure()
        args = (None, xmlrpc.client.Binary(docx), None, "pdf", None, [], True, DOCX_FILTER, None)
        try:
            result = self._proxy(self.timeout + 10).convert(*args)
        except xmlrpc.client.Fault as fault:
            if "Timeout" in fault.faultString:
                self._stop()  # unoserver kills LibreOffice and exits after a timeout
            reason = fault.faultString.split(":", 1)[-1]
            raise PdfError(f"LibreOffice could not convert the letter: {reason}") from None
        except ConnectionError:
            self._stop()
            raise _ServerGone("The PDF server stopped answering.") from None
        except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:
            self._stop()  # timed out or confused: never reuse it
            raise PdfError(f"The PDF server failed ({exc}).") from None
        pdf = result.data if isinstance(result, xmlrpc.client.Binary) else b""
        if not pdf.startswith(b"%PDF-"):
            raise PdfError("LibreOffice returned something that is not a PDF.")
        self._served += 1
        if self._served >= self.max_conversions:
            self._stop()
        return pdf

    def _ensure(self) -> None:
        """Start the server unless it is running (a second try on fresh ports: the free
        ports chosen may be taken by another program before the server binds them)."""
        if self._server is not None and self._server.poll() is None:
            return
        self._stop()
        if soffice_path() is None:
            raise PdfUnavailable(NEEDS_LIBREOFFICE)
        if self.python is None:
            raise PdfError("No Python with the uno module (Debian: python3-uno) for unoserver.")
        try:
            self._start()
        except PdfError as first:
            log.warning("PDF server: %s; starting it again on other ports", first)
            self._start()

    def _start(self) -> None:
        self._starts += 1
        work = self._dir / f"server-{self._starts}"
        work.mkdir()
        port = _free_port()
        cmd = [self.python, "-c", SERVER_BOOT, _unoserver_home() or "", "--port", str(port)]
        cmd += ["--uno-port", str(_free_port()), "--executable", soffice_path() or "soffice"]
        # A fresh profile per start: a killed LibreOffice may leave its profile locked.
        cmd += ["--user-installation", str(work / "profile"), "--temp-dir", str(work)]
        cmd += ["--conversion-timeout", str(math.ceil(self.timeout))]
        self._server = _spawn(cmd, work / "server.log")
        self._url, self._served = f"http://127.0.0.1:{port}", 0
        self._wait_ready(work / "server.log")

    def _wait_ready(self, log_path: Path) -> None:
        """Wait until the server answers, or stop it and raise with what went wrong."""
        deadline = time.monotonic() + self.startup_timeout
        why = f"no answer within {self.startup_timeout:.0f} s"
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                why = f"it exited with status {self._server.returncode}"
                break
            try:
                api = self._proxy(5).info().get("api")
            except (OSError, http.client.HTTPException, xmlrpc.client.Error):
                time.sleep(0.25)
                continue
            if api == "3":  # the protocol _call speaks
                return
            why = f"the program on its port answered protocol {api!r}, not 3"
            break
        said = _log_end(log_path)
        self._stop()
        raise PdfError(f"The PDF server did not start: {why}. {said}".strip())

    def _stop(self) -> None:
        """Kill the server with its LibreOffice and drop its folder."""
        if self._server is not None:
            _kill_group(self._server)
            self._server = None
            shutil.rmtree(self._dir / f"server-{self._starts}", ignore_errors=True)

    def close(self) -> None:
        """Stop the server and remove this converter's folder."""
        if os.getpid() != self._owner:
            return
        with self._lock:
            self._stop()
            super().close()


_shared: PdfConverter | None = None
_shared_pid = 0
_shared_lock = threading.Lock()


def get_converter(warm: bool | None = None) -> PdfConverter:
    """Return this process's converter: warm when LibreOffice can be kept running, else cold."""
    global _shared, _shared_pid
    with _shared_lock:
        if _shared is None or _shared_pid != os.getpid():
            _shared, _shared_pid = _make_converter(warm), os.getpid()
        return _shared


def _make_converter(warm: bool | None) -> PdfConverter:
    """Start a warm converter if asked (RIFD_PDF_WARM=1); else cold soffice calls.

    Warm is opt-in: unoserver listens on 127.0.0.1 without authentication and
    converts any path it is given, so on a shared machine another local user
    could use it to read files as Rifd. A cold call per letter costs ~1 s.
    """
    if warm is None and os.environ.get("RIFD_PDF_WARM") != "1":
        warm = False
    if warm is False or not available() or (warm is None and uno_python() is None):
        return PdfConverter()
    converter = WarmConverter()
    try:
        converter.start()
    except PdfError as exc:
        converter.close()
        if warm:
            raise
        log.warning("PDF: warm converter did not start (%s); using one soffice per letter", exc)
        return PdfConverter()
    return converter
