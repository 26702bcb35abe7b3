"""The checks of the deployment rehearsal; run through tools/ci/rehearsal.sh, which starts the processes.

    rehearsal.py STEP [ARGS]     with DJANGO_SETTINGS_MODULE=config.settings.prod and REHEARSAL_DIR set

Steps (in the order rehearsal.sh runs them):
    wait-web PORT...             every web process answers /sante/ 200
    slow-start                   a delivery whose e-mail hangs; prints the pid of the worker running it
    deliveries TAG N             N deliveries to N addresses, each run once: SUCCESSFUL, one Sent, one e-mail
    daily                        dossiers due for their 6-month reminder; run_daily_tasks twice
    ratelimit PORT...            60 verification lookups spread over the web processes
    slow-check                   the hung delivery, its worker killed, was run again by another worker
    outage PORT...               PostgreSQL stopped ($PG_STOP), probed, started again ($PG_START)
    processes NAME=PID...        the honcho instances still run, but the killed worker's
    idle                         nothing left READY or RUNNING, nothing FAILED
    backup DUMP RESTORE_URL      pg_dump / pg_restore, same counts on both sides
    summary                      the figures and the checks; exit status 1 when a check failed

Each step records its figures and checks in REHEARSAL_DIR/state.json. A failed check does not stop the
rehearsal (the later figures still tell something); ``summary`` ends with status 1.

This module is also the rehearsal's mail backend (``MAIL_BACKEND=tools.ci.rehearsal.MailFile``), imported
by every worker: Django's file backend needs its directory in MAILERS OPTIONS, which config/settings/base.py
gives only to SMTP. Each e-mail is one JSON line appended to REHEARSAL_DIR/mail.jsonl, whatever process
sends it, so the e-mails can be counted.
"""

# ruff: noqa: S603, S607 - a CI tool running the platform's own commands and PostgreSQL's

from __future__ import annotations

import collections
import fcntl
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOMAIN = "rehearsal.example"
SLOW_ADDRESS = f"lent@{DOMAIN}"
SLOW_KEY = "rehearsal-slow"
SLOW_SECONDS = 600  # the worker is killed long before
LOOKUPS = 60


def _dir() -> Path:
    return Path(os.environ["REHEARSAL_DIR"])


class MailFile(BaseEmailBackend):
    """Appends each message to REHEARSAL_DIR/mail.jsonl. The first message to SLOW_ADDRESS hangs (its worker
    gets killed meanwhile); any later one goes through."""

    def send_messages(self, email_messages):
        for message in email_messages:
            recipients = message.recipients()
            if SLOW_ADDRESS in recipients:
                _hang_once()
            line = json.dumps({"pid": os.getpid(), "to": recipients, "subject": message.subject}) + "\n"
            with open(_dir() / "mail.jsonl", "a", encoding="utf-8") as mailbox:
                fcntl.flock(mailbox, fcntl.LOCK_EX)
                mailbox.write(line)
        return len(email_messages)


def _hang_once() -> None:
    try:
        marker = os.open(_dir() / "slow.pid", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(marker, str(os.getpid()).encode())
    os.close(marker)
    time.sleep(SLOW_SECONDS)


# ---------------------------------------------------------------------------------------------- state


def _load() -> dict:
    path = _dir() / "state.json"
    if path.exists():
        return json.loads(path.read_text())
    return {"figures": {}, "checks": []}


def _save(state: dict) -> None:
    (_dir() / "state.json").write_text(json.dumps(state, indent=1, ensure_ascii=False))


class Step:
    """Figures and checks of one step, saved when it ends (even on an exception)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.state = _load()

    def __enter__(self) -> Step:
        print(f"-- {self.name}", flush=True)
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is not None:
            self.check("completes", False, f"{kind.__name__}: {value}")
        _save(self.state)

    def figure(self, name: str, value) -> None:
        self.state["figures"][f"{self.name}: {name}"] = value

    def check(self, what: str, ok: bool, detail: str = "") -> bool:
        self.state["checks"].append([f"{self.name}: {what}", bool(ok), str(detail)])
        print(f"   {'ok  ' if ok else 'FAIL'} {what}{f' ({detail})' if detail else ''}", flush=True)
        return bool(ok)


def _wait(condition, timeout: float, every: float = 0.5):
    """The condition's first true value, or its last value after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > end:
            return value
        time.sleep(every)


def _mails() -> list[dict]:
    path = _dir() / "mail.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _get(port: int, path: str, timeout: float = 10) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of a GET on a web process; status 0 when nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    except OSError:
        return 0, {}, ""
    finally:
        connection.close()


def _results(ids):
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(id__in=list(ids)))


def _unfinished(results) -> int:
    from django.tasks import TaskResultStatus

    return sum(r.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING) for r in results)


# ---------------------------------------------------------------------------------------------- steps


def wait_web(ports: list[int]) -> None:
    with Step("web") as step:
        for port in ports:
            status = _wait(lambda port=port: _get(port, "/sante/", timeout=2)[0] == 200 and 200, timeout=60)
            step.check(f"web on port {port} answers /sante/ 200", status == 200, f"{status}")


def slow_start() -> None:
    """Prints the pid of the worker running the delivery that hangs (rehearsal.sh kills it)."""
    from django.tasks import TaskResultStatus

    from clea.notifications.models import Kind
    from clea.notifications.sending import deliver

    with Step("kill -9") as step:
        result = deliver.enqueue(
            Kind.DEADLINE_REMINDER, "Lent", "Un envoi qui traîne.", [], [SLOW_ADDRESS], None, SLOW_KEY
        )
        step.state["slow_id"] = str(result.id)
        marker = _dir() / "slow.pid"
        pid = _wait(lambda: marker.exists() and marker.read_text().strip(), timeout=60)
        step.check("a worker started the slow delivery", bool(pid))
        [held] = _results([result.id])
        step.check("it is RUNNING, claimed once", held.status == TaskResultStatus.RUNNING and len(held.worker_ids) == 1)
        step.state["killed_worker_id"] = held.worker_ids[-1] if held.worker_ids else ""
        step.state["killed_at"] = time.time()
        step.figure("pid killed", int(pid or 0))
        if pid:
            (_dir() / "kill.pid").write_text(pid)


def deliveries(tag: str, count: int) -> None:
    from django.tasks import TaskResultStatus

    from clea.notifications.models import Kind, Sent
    from clea.notifications.sending import deliver

    with Step(f"deliveries {tag}") as step:
        started = time.monotonic()
        ids = [
            deliver.enqueue(
                Kind.DEADLINE_REMINDER,
                f"Message {tag} {i}",
                "Répétition du déploiement.",
                [],
                [f"{tag}-{i}@{DOMAIN}"],
                None,
                f"rehearsal-{tag}-{i}",
            ).id
            for i in range(count)
        ]
        step.figure("queued", len(ids))
        _wait(lambda: _unfinished(_results(ids)) == 0, timeout=120)
        elapsed = time.monotonic() - started
        results = _results(ids)
        statuses = collections.Counter(str(r.status) for r in results)
        step.figure("statuses", dict(statuses))
        step.figure("seconds", round(elapsed, 1))
        successful = statuses.get(str(TaskResultStatus.SUCCESSFUL), 0)
        step.check(f"{count} SUCCESSFUL", successful == count, dict(statuses))
        step.check("none READY or RUNNING", _unfinished(results) == 0)
        claims = collections.Counter(len(r.worker_ids) for r in results)
        step.check("each claimed by one worker, once", claims == {1: count}, dict(claims))
        step.figure("workers that ran them", len({r.worker_ids[-1] for r in results if r.worker_ids}))
        sent = Sent.objects.filter(key__startswith=f"rehearsal-{tag}-").count()
        step.check(f"{count} Sent rows", sent == count, sent)
        addresses = collections.Counter(
            a for m in _mails() for a in m["to"] if a.startswith(f"{tag}-") and a.endswith(f"@{DOMAIN}")
        )
        step.figure("e-mails", sum(addresses.values()))
        step.check(
            f"{count} e-mails, one per address",
            len(addresses) == count and set(addresses.values()) == {1},
            f"{sum(addresses.values())} to {len(addresses)} addresses",
        )


def daily() -> None:
    from django.conf import settings
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from clea.dossiers.deadlines import add_months
    from clea.dossiers.models import DeadlineReminder, Dossier
    from clea.lib.models import DailyRun
    from clea.notifications.models import Sent

    def idle_since(moment) -> bool:
        return _unfinished(DBTaskResult.objects.filter(enqueued_at__gte=moment)) == 0

    def snapshot() -> dict[str, int]:
        # The other steps' deliveries (the killed worker's, retried meanwhile) are not the daily tasks'.
        return {
            "reminders": DeadlineReminder.objects.count(),
            "Sent": Sent.objects.exclude(key__startswith="rehearsal-").count(),
            "e-mails": sum(not any(a.endswith(f"@{DOMAIN}") for a in m["to"]) for m in _mails()),
        }

    def run_daily_tasks() -> None:
        moment = timezone.now()
        subprocess.run([sys.executable, "manage.py", "run_daily_tasks"], cwd=ROOT, check=True)
        time.sleep(1)
        _wait(lambda: idle_since(moment), timeout=60)

    with Step("daily tasks") as step:
        now = timezone.localtime()
        if now.hour >= settings.DAILY_TASKS_HOUR:
            runs = _wait(lambda: DailyRun.objects.filter(day=now.date()).count(), timeout=30)
            step.check("the scheduler recorded today's run once", runs == 1, runs)
        today = timezone.localdate()
        due = add_months(today, 6)
        chosen = list(Dossier.objects.open().order_by("pk").values_list("pk", flat=True)[:5])
        # The demo dossiers were opened recently: their 5-year limit becomes 6 months from today.
        Dossier.objects.filter(pk__in=chosen).update(deadline=due)
        step.figure("dossiers due in 6 months", len(chosen))
        step.check("some open dossiers to remind", len(chosen) > 0)
        before = snapshot()
        run_daily_tasks()
        first = snapshot()
        run_daily_tasks()
        second = snapshot()
        reminded = DeadlineReminder.objects.filter(dossier__in=chosen, deadline=due, months_before=6).count()
        step.figure("reminders (first run)", first["reminders"] - before["reminders"])
        step.figure("Sent rows (first run)", first["Sent"] - before["Sent"])
        step.figure("e-mails (first run)", first["e-mails"] - before["e-mails"])
        step.figure("after the second run", {k: second[k] - first[k] for k in second})
        step.check("the first run reminds each dossier due", reminded == len(chosen), f"{reminded}/{len(chosen)}")
        step.check("the first run sends e-mails", first["e-mails"] > before["e-mails"])
        step.check("the second run sends nothing more", second == first, f"{first} -> {second}")
        if now.hour >= settings.DAILY_TASKS_HOUR:
            step.check("still one daily run recorded", DailyRun.objects.filter(day=now.date()).count() == 1)


def ratelimit(ports: list[int]) -> None:
    from clea.certificates.ratelimit import limits

    with Step("rate limit") as step:
        limit, window = limits()
        answers = collections.Counter()
        per_port = collections.Counter()
        for i in range(LOOKUPS):
            port = ports[i % len(ports)]
            status, headers, _ = _get(port, "/verifier/REPETITION-0000/")
            answers[status] += 1
            if status != 429:
                per_port[port] += 1
            elif "retry-after" not in headers:
                answers["429 without Retry-After"] += 1
        allowed = LOOKUPS - answers[429]
        step.figure("limit", f"{limit} per {window} s")
        step.figure("answers", {str(k): v for k, v in sorted(answers.items(), key=str)})
        step.figure("non-429 per port", {str(k): v for k, v in per_port.items()})
        step.check(
            f"exactly {limit} of {LOOKUPS} lookups answered over {len(ports)} processes", allowed == limit, allowed
        )
        step.check("the others 429 with Retry-After", answers[429] == LOOKUPS - limit and len(answers) <= 2)
        step.check("both processes counted in the same allowance", len(per_port) == len(ports), dict(per_port))


def slow_check() -> None:
    from django.tasks import TaskResultStatus

    from clea.notifications.models import Sent

    with Step("kill -9") as step:
        task_id = step.state["slow_id"]
        killed = step.state.get("killed_worker_id", "")

        def done():
            [result] = _results([task_id])
            return result if result.status not in (TaskResultStatus.READY, TaskResultStatus.RUNNING) else None

        result = _wait(done, timeout=150, every=1) or _results([task_id])[0]
        recovered_after = time.time() - step.state.get("killed_at", time.time())
        step.figure("finished seconds after the kill", round(recovered_after, 1))
        step.figure("status", str(result.status))
        step.check("the killed worker's task ends SUCCESSFUL", result.status == TaskResultStatus.SUCCESSFUL)
        ids = result.worker_ids or []
        step.check(
            "claimed twice, by the killed worker then another", len(ids) == 2 and ids[0] == killed != ids[1], ids
        )
        sent = Sent.objects.filter(key=SLOW_KEY).count()
        mails = sum(SLOW_ADDRESS in m["to"] for m in _mails())
        step.check("its e-mail sent once", sent == 1 and mails == 1, f"Sent {sent}, e-mails {mails}")


def outage(ports: list[int]) -> None:
    with Step("PostgreSQL restart") as step:
        seen = collections.Counter()
        problems = []

        def probe() -> None:
            for port in ports:
                status, headers, body = _get(port, "/")
                seen[f"page {status}"] += 1
                if status == 503 and (headers.get("retry-after") != "30" or "momentanément indisponible" not in body):
                    problems.append(f"page 503 on {port}: Retry-After {headers.get('retry-after')}")
                status, headers, body = _get(port, "/api/v1/referentiels/")
                seen[f"api {status}"] += 1
                if status == 503:
                    try:
                        detail = json.loads(body)["detail"]
                    except (ValueError, KeyError):
                        detail = None
                    if not detail or "retry-after" not in headers:
                        problems.append(f"api 503 on {port}: {body[:80]!r}")
                status, _, _ = _get(port, "/sante/")
                seen[f"sante {status}"] += 1

        subprocess.run(["bash", "-c", os.environ["PG_STOP"]], check=True)
        stopped = time.monotonic()
        while time.monotonic() - stopped < 5:
            probe()
            time.sleep(0.2)
        step.figure("answers during the outage", dict(seen))
        subprocess.run(["bash", "-c", os.environ["PG_START"]], check=True)
        step.figure("outage seconds", round(time.monotonic() - stopped, 1))
        step.check("pages answered 503 (French page, Retry-After: 30)", seen["page 503"] > 0, seen["page 503"])
        step.check("the API answered a JSON 503", seen["api 503"] > 0, seen["api 503"])
        step.check("/sante/ answered 503", seen["sante 503"] > 0, seen["sante 503"])
        step.check("no other answer during the outage", set(seen) <= {"page 503", "api 503", "sante 503"}, dict(seen))
        step.check("every 503 well formed", not problems, "; ".join(problems[:3]))
        back = time.monotonic()
        for port in ports:
            ok = _wait(
                lambda port=port: _get(port, "/")[0] == 200 and _get(port, "/api/v1/referentiels/")[0] == 200, 60
            )
            step.check(f"port {port} answers 200 again", ok)
        step.figure("seconds until 200 again", round(time.monotonic() - back, 1))


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited, not yet waited for


def processes(named: list[str]) -> None:
    """``NAME=PID`` of each honcho: all still run, but the one whose worker was killed."""
    with Step("processes") as step:
        pids = {name: int(pid) for name, pid in (n.split("=") for n in named)}
        stopped = sorted(name for name, pid in pids.items() if not _running(pid))
        step.figure("honcho instances still running", f"{len(pids) - len(stopped)} of {len(pids)}")
        step.check(
            "every process carried on but the killed worker",
            len(stopped) == 1 and stopped[0].startswith("worker"),
            f"stopped: {', '.join(stopped) or 'none'}",
        )


def idle() -> None:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with Step("queue") as step:
        _wait(lambda: _unfinished(DBTaskResult.objects.all()) == 0, timeout=60)
        statuses = collections.Counter(str(s) for s in DBTaskResult.objects.values_list("status", flat=True))
        step.figure("tasks by status", dict(statuses))
        step.figure("tasks claimed more than once (recovered or retried)", sum(len(r) > 1 for r in _worker_ids()))
        step.figure("e-mails in the mail file", len(_mails()))
        step.figure("mail file written by worker pids", len({m["pid"] for m in _mails()}))
        step.check("nothing READY or RUNNING", _unfinished(DBTaskResult.objects.all()) == 0)
        step.check("nothing FAILED", statuses.get(str(TaskResultStatus.FAILED), 0) == 0)


def _worker_ids() -> list[list[str]]:
    from django_tasks_db.models import DBTaskResult

    return [ids or [] for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)]


def _tables() -> dict[str, str]:
    from django_tasks_db.models import DBTaskResult

    from clea.certificates.models import Certificate
    from clea.dossiers.models import DeadlineReminder, Dossier
    from clea.notifications.models import Sent

    return {m.__name__: m._meta.db_table for m in (Dossier, Certificate, DeadlineReminder, Sent, DBTaskResult)}


def _count(url: str, table: str) -> int:
    sql = f'SELECT count(*) FROM "{table}"'  # noqa: S608 - names from the models
    out = subprocess.run(["psql", "-X", "-At", "-d", url, "-c", sql], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def backup(dump: str, restore_url: str) -> None:
    with Step("backup") as step:
        source_url = os.environ["DATABASE_URL"]
        started = time.monotonic()
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--dbname={source_url}", f"--file={dump}"], check=True
        )
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restore_url}", dump], check=True)
        step.figure("dump bytes", Path(dump).stat().st_size)
        step.figure("seconds", round(time.monotonic() - started, 1))
        counts = {}
        for name, table in _tables().items():
            counts[name] = (_count(source_url, table), _count(restore_url, table))
            step.check(f"{name}: same count restored", counts[name][0] == counts[name][1], counts[name])
        step.figure("counts (rehearsal, restored)", counts)
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": restore_url},
            capture_output=True,
            text=True,
        )
        step.check("the restored database needs no migration", check.returncode == 0, check.stdout.strip()[-200:])


def summary() -> int:
    state = _load()
    print("\n== Rehearsal figures")
    for name, value in state["figures"].items():
        print(f"   {name}: {value}")
    failed = [c for c in state["checks"] if not c[1]]
    print(f"\n== Checks: {len(state['checks']) - len(failed)} passed, {len(failed)} failed")
    for name, _, detail in failed:
        print(f"   FAIL {name}{f' ({detail})' if detail else ''}")
    return 1 if failed or not state["checks"] else 0


def main(argv: list[str]) -> int:
    step, args = argv[0], argv[1:]
    if step == "summary":
        return summary()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    ports = [int(a) for a in args] if step in {"wait-web", "ratelimit", "outage"} else []
    steps = {
        "wait-web": lambda: wait_web(ports),
        "slow-start": slow_start,
        "deliveries": lambda: deliveries(args[0], int(args[1])),
        "daily": daily,
        "ratelimit": lambda: ratelimit(ports),
        "slow-check": slow_check,
        "outage": lambda: outage(ports),
        "processes": lambda: processes(args),
        "idle": idle,
        "backup": lambda: backup(args[0], args[1]),
    }
    steps[step]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
