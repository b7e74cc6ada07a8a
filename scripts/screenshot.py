"""Screenshot pages of a running site in Debian's Chromium.

    .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8000 \
        --login office:PASSWORD /dashboard/ var/shots/dashboard.png [PATH OUT ...]
"""

import argparse
import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from qualityaward.documents.fonts import fontconfig_file

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", help="username:password")
    parser.add_argument("--lang", default="zh-hans")
    parser.add_argument(
        "--locale", default="zh-CN", help="the browser's own language (date and file inputs)"
    )
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("pairs", nargs="+", help="PATH OUT.png pairs")
    args = parser.parse_args()
    pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as fonts:
        # Chromium takes the language of its own controls from the environment, and
        # Chinese glyphs from the project's fonts.
        ui = args.locale.replace("-", "_")
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env={
                **os.environ,
                "LANG": f"{ui}.UTF-8",
                "LANGUAGE": ui,
                "FONTCONFIG_FILE": str(fontconfig_file(Path(fonts))),
            },
        )
        page = browser.new_page(
            viewport={"width": args.width, "height": 900},
            locale=args.locale,
            extra_http_headers={"Accept-Language": args.lang},
        )
        if args.login:
            username, password = args.login.split(":", 1)
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("form button[type=submit]")
            page.wait_for_load_state()
        for path, out in pairs:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            page.goto(f"{args.base}{path}")
            page.screenshot(path=out, full_page=True)
            print(out)
        browser.close()


if __name__ == "__main__":
    main()
