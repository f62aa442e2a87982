"""The pandoc helper processes are capped per machine: every process (web, jobs) shares the
same slots, a helper holds one for its life, an idle helper steps aside for a waiting process."""

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.letters import pandoc


@pytest.fixture
def slots(tmp_path):
    return pandoc.MachineSlots(tmp_path / "slots", 1)


def _in_child(work):
    """Run ``work()`` in a forked process (as a second web process would); its answer."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 1
        try:
            os.write(write_end, work())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        answer = reader.read()
    _, status = os.waitpid(child, 0)
    assert os.WEXITSTATUS(status) == 0
    return answer


def test_another_process_waits_for_the_machines_only_slot(slots):
    first = pandoc.PandocRunner(slots=slots, timeout=30)
    try:
        assert first.convert("перший", "html5").strip() == "<p>перший</p>".encode()
        assert len(first.pids()) == 1 and slots.held() == 1

        def second_process():
            runner = pandoc.PandocRunner(slots=slots, timeout=30)
            html = runner.convert("другий", "html5").strip()
            # While this helper runs, it is the only one on the machine.
            alone = slots.held() == 1 and len(runner.pids()) == 1
            runner.close()
            return html if alone else b"two helpers"

        assert _in_child(second_process) == "<p>другий</p>".encode()
        # The first process's idle helper stepped aside for the second one.
        assert first.pids() == []
        assert first.convert("знову", "html5").strip() == "<p>знову</p>".encode()
    finally:
        first.close()
    assert slots.held() == 0


def test_threads_of_one_process_share_the_cap(slots):
    runner = pandoc.PandocRunner(pool_size=2, slots=slots, timeout=30)
    most = []

    def convert(i):
        html = runner.convert(f"текст {i}", "html5").decode().strip()
        most.append(len(runner.pids()))
        return html == f"<p>текст {i}</p>"

    try:
        with ThreadPoolExecutor(max_workers=4) as threads:
            assert all(threads.map(convert, range(12)))
        assert max(most) == 1 and slots.held() <= 1
    finally:
        runner.close()


def test_no_free_slot_is_a_timeout_then_the_slot_is_used(slots):
    held = slots.acquire(time.monotonic() + 1)  # another process's busy helper
    runner = pandoc.PandocRunner(slots=slots, timeout=30)
    try:
        with pytest.raises(pandoc.PandocTimeout, match="slot"):
            runner.convert("x", "html5", timeout=0.3)
        pandoc.MachineSlots.release(held)
        assert runner.convert("y", "html5").strip() == b"<p>y</p>"
    finally:
        runner.close()


def test_an_idle_helper_stops_and_frees_its_slot(slots):
    runner = pandoc.PandocRunner(slots=slots, timeout=30, idle_seconds=0.2)
    try:
        runner.convert("x", "html5")
        deadline = time.monotonic() + 10
        while runner.pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runner.pids() == [] and slots.held() == 0
    finally:
        runner.close()


def test_a_killed_holder_frees_its_slot(slots):
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        slots.acquire(time.monotonic() + 5)
        time.sleep(60)
        os._exit(0)
    deadline = time.monotonic() + 10
    while slots.held() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert slots.held() == 1
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    assert slots.held() == 0


def test_the_default_runner_uses_the_machines_slots(monkeypatch, tmp_path):
    monkeypatch.setenv("VIDHUK_PANDOC_MACHINE_LIMIT", "3")
    monkeypatch.setenv("VIDHUK_PANDOC_SLOTS_DIR", str(tmp_path / "machine"))
    found = pandoc.machine_slots()
    assert found.limit == 3 and found.directory == tmp_path / "machine"
    assert pandoc.get_runner().slots is not None
