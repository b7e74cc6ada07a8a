# ruff: noqa: S311
"""The load test: 500 members of the public reading the public pages alongside 50
office staff and experts on their pages, logged in through sessions the bench created
(BENCH_LOCUST_ENV). Every response time is written to BENCH_LOCUST_TIMES at the end,
grouped "public" and "logged in". Bounded: `--run-time` and at most MAX_REQUESTS
requests in all; 127.0.0.1 only (`--host` is set by bench.measure)."""

import json
import os
import random

from locust import HttpUser, between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

ENV = json.load(open(os.environ["BENCH_LOCUST_ENV"]))  # noqa: SIM115
PATHS = ENV["paths"]
MAX_REQUESTS = 100_000
TIMEOUT = 60
PUBLIC_PAGES = {
    "public home": 2,
    "public results": 3,
    "public publicity": 2,
    "certificate check": 2,
    "public archive": 2,
}
_sent = 0
_times: dict[str, list[tuple[float, bool]]] = {"public": [], "logged in": []}


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs) -> None:
    group = "public" if name in PUBLIC_PAGES else "logged in"
    _times[group].append((response_time, exception is not None))


@events.quitting.add_listener
def _write(**_kwargs) -> None:
    with open(os.environ["BENCH_LOCUST_TIMES"], "w") as f:
        json.dump(_times, f)


def _count() -> None:
    global _sent
    _sent += 1
    if _sent > MAX_REQUESTS:
        raise StopUser()


class Public(FastHttpUser):
    """A member of the public: opens a page, reads it, clicks on. 5–25 s a page: under
    5 s is not reading, and the published results of 2,000 applications take far longer
    than 25 s to read, so this errs towards more load, not less."""

    fixed_count = 500
    wait_time = between(5, 25)
    network_timeout = TIMEOUT

    @task
    def read(self) -> None:
        _count()
        name = random.choices(list(PUBLIC_PAGES), weights=list(PUBLIC_PAGES.values()))[0]
        self.client.get(PATHS[name], name=name)


class LoggedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    sessions_key = ""

    def on_start(self) -> None:
        self.client.cookies.set(ENV["cookie_name"], random.choice(ENV[self.sessions_key]))

    def page(self, name: str, path: str | None = None) -> None:
        _count()
        self.client.get(path or PATHS[name], name=name, timeout=TIMEOUT)


class Office(LoggedIn):
    fixed_count = 25
    sessions_key = "office"

    @task(3)
    def dashboard(self) -> None:
        self.page("office dashboard")

    @task(2)
    def review_list(self) -> None:
        self.page("review list")

    @task(1)
    def applicants(self) -> None:
        self.page("applicants list")

    @task(4)
    def application(self) -> None:
        self.page("one application", random.choice(ENV["applications"]))

    @task(1)
    def ranking(self) -> None:
        self.page("ranking page")


class Expert(LoggedIn):
    fixed_count = 25
    sessions_key = "experts"

    @task
    def assignments(self) -> None:
        self.page("expert's task list")
