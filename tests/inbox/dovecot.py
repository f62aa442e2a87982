"""A throw-away Dovecot IMAP server on loopback, run unprivileged (Debian's dovecot-imapd).

Everything lives in a temporary folder: the configuration, the runtime and state folders, the
log, a passwd-file with one account and a world-writable Maildir. ``stop()`` then ``start()``
again keeps the mail (the server down, then up).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
)
USER, PASSWORD = "npm", "inbox-secret"

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, root=None, tls=None):
        """``tls``: (certificate chain PEM, private key PEM) to offer STARTTLS and IMAPS."""
        # Dovecot's own users (dovenull, dovecot) read these files: a folder of its own under
        # the system's temporary folder, readable by them (pytest's tmp_path is private).
        self.root = Path(root or tempfile.mkdtemp(prefix="vidhuk-dovecot-"))
        self.port = free_port()
        self.process = None
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root / "mail", 0o777)
        os.chmod(self.root, 0o755)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        self.tls_port = free_port() if tls else 0
        ssl = "ssl = no"
        if tls:
            (self.root / "cert.pem").write_bytes(tls[0])
            (self.root / "key.pem").write_bytes(tls[1])
            ssl = f"ssl = yes\nssl_cert = <{self.root}/cert.pem\nssl_key = <{self.root}/key.pem"
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(root=self.root, port=self.port, tls_port=self.tls_port, ssl=ssl)
        )

    @property
    def url(self):
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def tls_url(self, host="localhost"):
        return f"imaps://{USER}:{PASSWORD}@{host}:{self.tls_port}/INBOX"

    def starttls_url(self, host="localhost"):
        return f"imap://{USER}:{PASSWORD}@{host}:{self.port}/INBOX?starttls=1"

    def start(self):
        self.process = subprocess.Popen(
            [DOVECOT, "-c", str(self.root / "dovecot.conf"), "-F"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    if conn.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not start: " + self.log())

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else "(no log)"
