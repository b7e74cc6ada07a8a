# ruff: noqa: S311
"""The load test: office staff, experts and the public on the measured pages, logged in
through sessions the bench created (BENCH_LOCUST_ENV). With BENCH_LOCUST_BARE=1 every
user asks for the bare view only (the reference). Bounded: `--run-time` and at most
MAX_REQUESTS requests in all."""

import json
import os
import random

from locust import HttpUser, between, task
from locust.exception import StopUser

ENV = json.load(open(os.environ["BENCH_LOCUST_ENV"]))  # noqa: SIM115
BARE = bool(os.environ.get("BENCH_LOCUST_BARE"))
PATHS = ENV["paths"]
MAX_REQUESTS = 50_000
_sent = 0
TIMEOUT = 60


class BenchUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    sessions_key = ""

    def on_start(self) -> None:
        if self.sessions_key:
            self.client.cookies.set(ENV["cookie_name"], random.choice(ENV[self.sessions_key]))

    def page(self, name: str, path: str | None = None) -> None:
        global _sent
        _sent += 1
        if _sent > MAX_REQUESTS:
            raise StopUser()
        if BARE:
            self.client.get(PATHS["bare view"], name="bare view", timeout=TIMEOUT)
        else:
            self.client.get(path or PATHS[name], name=name, timeout=TIMEOUT)


class Office(BenchUser):
    weight = 3
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


class ExpertUser(BenchUser):
    weight = 3
    sessions_key = "experts"

    @task
    def assignments(self) -> None:
        self.page("expert's task list")


class Public(BenchUser):
    weight = 2

    @task
    def archive(self) -> None:
        self.page("public archive")
