"""The deployment's nginx site (deploy/nginx/qualityaward.conf.template) in front of the
bench's gunicorn, as on a server: the public pages' shared cache, everything else passed
to gunicorn. Only 127.0.0.1 and free ports; every file under var/bench/nginx. The load
test goes through it (figure 3).

The site's TLS server also listens without TLS on one more port, which the load test
uses: locust's own TLS client, on the same 2 cores, took seconds a request (500 readers,
p50 11 s over TLS against 16 ms without, through the same nginx), which measures locust
and not the site."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "qualityaward.conf.template"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
HOST = "127.0.0.1"


def nginx_site(**values: str) -> str:
    """The site as envsubst writes it (docs/deployment.md), with these placeholder values."""
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def nginx_prefix(folder: Path, site: str, host: str) -> Path:
    """A private nginx prefix in folder serving site with a throwaway certificate for
    host (the site's certificate and cache paths are moved into folder); its nginx.conf."""
    (folder / "cache").mkdir(parents=True)  # as docs/deployment.md makes /var/cache/nginx
    key, chain = folder / "privkey.pem", folder / "fullchain.pem"
    self_signed = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subject = ["-subj", f"/CN={host}", "-keyout", str(key), "-out", str(chain)]
    subprocess.run([*self_signed, *subject], check=True, capture_output=True)  # noqa: S603
    site = site.replace(f"/etc/letsencrypt/live/{host}", str(folder))
    (folder / "site.conf").write_text(site.replace("/var/cache/nginx/", f"{folder}/cache/"))
    # As root nginx's workers would run as nobody, who may not enter the folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes auto;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
        "http { include /etc/nginx/mime.types; access_log off; "
        + "".join(f"{kind}_temp_path {folder}/{kind}; " for kind in TEMP_PATHS)
        + f"include {folder}/site.conf; }}\n"
    )
    return conf


def bench_site(folder: Path, *, upstream_port: int, ports: tuple[int, int, int]) -> str:
    """The site on local ports (http, https and https's server without TLS), with the
    bench's static files."""
    http_port, https_port, plain_port = ports
    text = nginx_site(
        QA_HOST=HOST,
        QA_UPSTREAM=f"127.0.0.1:{upstream_port}",
        QA_TLS_CERTIFICATE=f"/etc/letsencrypt/live/{HOST}/fullchain.pem",
        QA_TLS_CERTIFICATE_KEY=f"/etc/letsencrypt/live/{HOST}/privkey.pem",
    )
    text = text.replace("listen 80 ", f"listen 127.0.0.1:{http_port} ")
    text = text.replace(
        "listen 443 ssl http2 default_server;",
        f"listen 127.0.0.1:{https_port} ssl http2 default_server;\n"
        f"    listen 127.0.0.1:{plain_port};",
    )
    text = text.replace("/var/lib/qualityaward/static/", f"{folder.parent}/static/")
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line)


def status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@contextmanager
def nginx_in_front(
    folder: Path, *, upstream_port: int, ports: tuple[int, int, int]
) -> Iterator[int]:
    """nginx running in front of 127.0.0.1:upstream_port on ports (http, https, https's
    server without TLS); yields the last."""
    shutil.rmtree(folder, ignore_errors=True)
    site = bench_site(folder, upstream_port=upstream_port, ports=ports)
    conf = nginx_prefix(folder, site, HOST)
    plain_port = ports[2]
    process = subprocess.Popen(  # noqa: S603 - nginx with our own configuration
        ["nginx", "-p", f"{folder}/", "-c", str(conf)],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if status(plain_port, "/healthz") == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start: {(folder / 'error.log').read_text()}")
            time.sleep(0.2)
        yield plain_port
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
