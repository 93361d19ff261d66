"""The language server's analysis thread (gust.lsp.worker), as plain code: the order jobs
run in, failures that do not stop it, and idle work that steps aside."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from gust.lsp.worker import BACKGROUND, IDLE, NOW, Worker


def new_worker() -> tuple[Worker, list[tuple[str, BaseException]]]:
    errors: list[tuple[str, BaseException]] = []
    return Worker(lambda what, exc: errors.append((what, exc))), errors


def test_what_a_client_waits_for_runs_before_background_and_idle_work() -> None:
    worker, errors = new_worker()
    gate = threading.Event()
    ran: list[str] = []
    worker.post("gate", gate.wait)  # holds the thread while the others queue up
    worker.post("idle", ran.append, "idle", priority=IDLE)
    worker.post("analysis 1", ran.append, "analysis 1", priority=BACKGROUND)
    worker.post("analysis 2", ran.append, "analysis 2", priority=BACKGROUND)
    answer = worker.submit(lambda: ran.append("request") or "answer", priority=NOW)
    gate.set()
    assert answer.result(timeout=10) == "answer"
    worker.submit(lambda: None, priority=IDLE).result(timeout=10)
    assert ran == ["request", "analysis 1", "analysis 2", "idle"]
    assert not errors


def test_a_failing_job_is_reported_and_the_thread_goes_on() -> None:
    worker, errors = new_worker()

    def fail() -> None:
        raise RuntimeError("boom")
    worker.post("doomed job", fail)
    failed = worker.submit(fail)
    with pytest.raises(RuntimeError):
        failed.result(timeout=10)
    assert worker.submit(lambda: "still here").result(timeout=10) == "still here"
    assert [(what, str(exc)) for what, exc in errors] == [("doomed job", "boom")]


def test_a_cancelled_job_never_runs() -> None:
    worker, _ = new_worker()
    gate = threading.Event()
    worker.post("gate", gate.wait)
    ran: list[str] = []
    future: Future[None] = worker.submit(ran.append, "cancelled")
    assert future.cancel()
    gate.set()
    worker.submit(lambda: None).result(timeout=10)
    assert ran == []


def test_idle_work_steps_aside_only_for_more_urgent_work() -> None:
    worker, _ = new_worker()
    gate = threading.Event()
    seen: list[bool] = []
    worker.post("gate", gate.wait)
    worker.post("idle", lambda: seen.append(worker.busy()), priority=IDLE)
    worker.post("other idle", lambda: None, priority=IDLE)
    gate.set()
    worker.submit(lambda: None, priority=IDLE).result(timeout=10)
    assert seen == [False]  # only idle work waited

    def idle_while_a_request_arrives() -> None:
        worker.post("request", lambda: None)
        seen.append(worker.busy())
    worker.post("idle", idle_while_a_request_arrives, priority=IDLE)
    worker.submit(lambda: None, priority=IDLE).result(timeout=10)
    assert seen == [False, True]
