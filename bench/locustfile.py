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
        with self.client.post(
            "/login/",
            {
                "login": os.environ["BENCH_EMAIL"],
                "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            # allauth redirects after a successful login; a 200 is the form with errors.
            if answer.status_code != 302:
                answer.failure(f"login failed: {answer.status_code}")

    @task
    def suggestions(self) -> None:
        need = random.choice(NEEDS)
        path = (
            f"/api/v1/needs/{need}/suggestions/"
            if TARGET == "api"
            else f"/needs/{need}/suggestions/"
        )
        # Only the page itself counts: a redirect (to the login form) is a failure, not a
        # fast answer.
        with self.client.get(
            path, name="suggestions", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
