"""Locust users of `make bench-load` (bench/load.py sets the environment): the Bench SME's
member reads suggestions, one request, then 1 s of reading, again.

BENCH_TARGET=page: the session signs in through the login form and opens
/needs/<id>/suggestions/; BENCH_TARGET=api: /api/v1/needs/<id>/suggestions/ with the
member's token. Only those requests count, named "suggestions"."""

import os
import random

from locust import HttpUser, constant, task

NEEDS = [int(n) for n in os.environ.get("BENCH_NEEDS", "").split(",") if n]
TARGET = os.environ.get("BENCH_TARGET", "page")


class Member(HttpUser):
    wait_time = constant(1)

    def on_start(self) -> None:
        if TARGET == "api":
            self.client.headers["Authorization"] = f"Token {os.environ['BENCH_TOKEN']}"
            return
        self.client.get("/login/", name="login form")
        self.client.post(
            "/login/",
            {
                "username": os.environ["BENCH_EMAIL"],
                "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="login",
        )

    @task
    def suggestions(self) -> None:
        need = random.choice(NEEDS)
        if TARGET == "api":
            self.client.get(f"/api/v1/needs/{need}/suggestions/", name="suggestions")
        else:
            self.client.get(f"/needs/{need}/suggestions/", name="suggestions")
