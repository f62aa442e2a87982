"""The users of bench/load.py (a locustfile): lawyers and monitors who log in through the real
form and click through their working day with 1–4 s of thought between pages.

Read by `locust -f bench/load_users.py`; the ids it picks from come from the environment
(VIDHUK_LOAD_IDS, JSON written by bench/load.py).
"""

import json
import os
import random
import re

from locust import HttpUser, between, task

IDS = json.loads(os.environ.get("VIDHUK_LOAD_IDS", "{}"))
PASSWORD = os.environ.get("VIDHUK_LOAD_PASSWORD", "")
WORDS = ["катування", "укриття", "медичн", "адвокат", "вода", "освітлення", "харчування"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    emails = []

    def on_start(self):
        email = self.email = random.choice(self.emails)
        page = self.client.get("/login", name="/login")
        found = CSRF.search(page.text)
        token = found.group(1) if found else ""
        answer = self.client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            name="/login [POST]",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            answer.failure(f"login refused for {email}: {answer.status_code}")

    def pick(self, kind):
        return random.choice(IDS[kind])

    def pick_own(self, kind):
        """One of the ids this user may read (a monitor's own facilities and cases)."""
        return random.choice(IDS["own"][self.email][kind] or IDS[kind])


class Lawyer(Person):
    weight = 2
    emails = IDS.get("lawyers", [])

    @task(3)
    def home(self):
        self.client.get("/", name="/ (lawyer)")

    @task(3)
    def filtered_list(self):
        state = random.choice(["overdue", "sent_to_authority", "responded", "issued"])
        self.client.get(f"/recommendations/?state={state}", name="/recommendations/?state")

    @task(2)
    def search(self):
        self.client.get(f"/search?q={random.choice(WORDS)}", name="/search?q")

    @task(3)
    def case(self):
        self.client.get(
            f"/recommendations/{self.pick('recommendations')}", name="/recommendations/ID"
        )

    @task(1)
    def dashboard(self):
        self.client.get("/dashboard", name="/dashboard")

    @task(2)
    def acts(self):
        self.client.get("/acts/", name="/acts/")

    @task(1)
    def api(self):
        self.client.get(
            "/api/v1/recommendations?state=overdue&per_page=25",
            headers={"Authorization": f"Bearer {IDS['token']}"},
            name="/api/v1/recommendations",
        )


class Monitor(Person):
    weight = 3
    emails = IDS.get("monitors", [])

    @task(3)
    def home(self):
        self.client.get("/", name="/ (monitor)")

    @task(3)
    def facility(self):
        self.client.get(f"/facilities/{self.pick('facilities')}", name="/facilities/ID")

    @task(2)
    def checklist(self):
        self.client.get(
            f"/facilities/{self.pick_own('facilities')}/checklist",
            name="/facilities/ID/checklist",
        )

    @task(2)
    def case(self):
        self.client.get(
            f"/recommendations/{self.pick_own('recommendations')}", name="/recommendations/ID"
        )

    @task(1)
    def search(self):
        self.client.get(f"/search?q={random.choice(WORDS)}", name="/search?q")
