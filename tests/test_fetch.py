"""The fetch command against a real WordPress-shaped server on 127.0.0.1: finding the API, paging,
retries through faults, resuming, signing in, --since, and converting exactly as convert does."""
import json
import os
import pty
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs

import pytest

from conftest import ROOT
from helpers import default_sigint, read_markdown, run_on_a_terminal
from pelican_wp_import.archive import STATE
from pelican_wp_import.cli import main
from pelican_wp_import.retry import RetryPolicy, retry_after_seconds, retry_delay
from pelican_wp_import.wpapi import Api, api_link_in_header, given_root, site_url
from wp_server import WordPress, post, serve

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_posts  # noqa: E402

# Short waits between tries: a test never sleeps long, whatever a server asks for. The timeout is
# generous, since a loaded machine can take seconds to answer; tests that make the server stall
# shorten it with STALLS and make the stall longer than that.
FAST = ["--timeout", "10", "--backoff", "0.01", "--max-wait", "0.02", "-q"]
STALLS = ["--timeout", "3"]
STALL_SECONDS = 5


def posts(count: int, start: int = 1) -> list[dict]:
    return [post(n) for n in range(start, start + count)]


def fetch(site: WordPress, out, *extra, url: str = "") -> int:
    return main(["fetch", url or site.url, "--output", str(out), *FAST, *map(str, extra)])


def summary(captured) -> str:
    return captured.err.strip().splitlines()[-1]


def markdown_files(out) -> list:
    return sorted(p for p in out.rglob("*.md"))


# --- finding the API -------------------------------------------------------------------------

def test_finds_the_api_at_wp_json(tmp_path):
    with serve(WordPress(items={"posts": posts(3)})) as site:
        assert fetch(site, tmp_path) == 0
    # the first request is page 1 of the posts where WordPress serves them: its answer finds the API
    # and is kept, not asked for again, and the index is never needed
    first, _, query = site.log[0].partition("?")
    assert first == "/wp-json/wp/v2/posts" and parse_qs(query)["page"] == ["1"]
    assert "/wp-json/" not in site.log and site.page_requests() == [1]
    assert len(markdown_files(tmp_path)) == 3


def test_a_site_that_answers_only_after_a_while_is_found(tmp_path):
    # nothing listens yet when the first request (page 1, looking for the API) is made: the tries of
    # the index that follow wait for the site, which starts listening three seconds later
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    site = WordPress(items={"posts": posts(3)})
    stop = threading.Event()

    def start_later():
        time.sleep(3)
        with serve(site, port=port):
            stop.wait(60)

    thread = threading.Thread(target=start_later, daemon=True)
    thread.start()
    try:
        assert main(["fetch", f"http://127.0.0.1:{port}/", "--output", str(tmp_path), "--timeout", "10",
                     "--retries", "12", "--backoff", "0.25", "--max-wait", "1", "-q"]) == 0
    finally:
        stop.set()
        thread.join()
    assert site.log[0] == "/wp-json/"  # the index: page 1's request never reached the site
    assert len(markdown_files(tmp_path)) == 3


def test_the_index_still_finds_the_api_when_page_1_fails_there(tmp_path, capsys):
    with serve(WordPress(items={"posts": posts(150)}, always_fail={"posts page 1"})) as site:
        assert fetch(site, tmp_path, "--retries", "0") == 1
    assert "/wp-json/" in site.log and site.page_requests() == [1, 1]  # the try that failed, then its page
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "/wp-json/wp/v2/posts?" in err and "page=1" in err


@pytest.mark.parametrize("announce", ["header", "html"])
def test_finds_the_api_the_home_page_names(tmp_path, announce):
    # the API lives under /api/, which only the home page's api.w.org link tells
    with serve(WordPress(items={"posts": posts(3)}, prefix="/api/", announce=announce)) as site:
        assert fetch(site, tmp_path) == 0
    assert "/" in site.log and site.page_requests() == [1]
    assert any(entry.startswith("/api/wp/v2/posts?") for entry in site.log)
    assert len(markdown_files(tmp_path)) == 3


def test_finds_the_api_through_rest_route(tmp_path):
    # no pretty links: only /?rest_route=/wp/v2/… answers
    with serve(WordPress(items={"posts": posts(3)}, prefix=None)) as site:
        assert fetch(site, tmp_path) == 0
    assert any(entry.startswith("/?rest_route=/wp/v2/posts&") for entry in site.log)
    assert len(markdown_files(tmp_path)) == 3


def test_an_api_root_given_as_the_site(tmp_path):
    with serve(WordPress(items={"posts": posts(2)}, prefix="/api/", index=False)) as site:
        assert fetch(site, tmp_path / "a", url=site.url + "/wp-json/") == 1  # nothing there
        site.prefix = "/wp-json/"
        site.log.clear()
        assert fetch(site, tmp_path / "b", url=site.url + "/wp-json/") == 0
    # no looking around first: page 1 of the posts, of the pages and of the site's lists, and nothing
    # else (all are asked for at once, so which comes first varies)
    assert sorted(path.partition("?")[0] for path in site.log) == [
        f"/wp-json/wp/v2/{kind}" for kind in ("categories", "media", "pages", "posts", "tags", "users")]
    assert all(parse_qs(path.partition("?")[2])["page"] == ["1"] for path in site.log), site.log
    assert len(markdown_files(tmp_path / "b")) == 2


def test_a_site_that_hides_its_index_still_answers_its_routes(tmp_path):
    with serve(WordPress(items={"posts": posts(2)}, index=False)) as site:
        assert fetch(site, tmp_path) == 0
    assert len(markdown_files(tmp_path)) == 2


def test_no_api_is_one_error_line(tmp_path, capsys):
    with serve(WordPress(items={}, prefix=None, index=False)) as site:
        assert fetch(site, tmp_path) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "no WordPress REST API found" in err


# --- paging ------------------------------------------------------------------------------------

def test_pages_through_posts_and_pages_by_total_pages(tmp_path):
    items = {"posts": posts(250), "pages": [post(900, kind="page"), post(901, kind="page")]}
    with serve(WordPress(items=items)) as site:
        assert fetch(site, tmp_path) == 0
    assert sorted(site.page_requests("posts")) == [1, 2, 3]
    assert site.page_requests("pages") == [1]
    query = next(entry for entry in site.log if "/wp/v2/posts?" in entry)
    assert "per_page=100" in query and "_embed=1" in query
    archive = tmp_path / ".wp-api"
    assert sorted(p.name for p in (archive / "posts").iterdir()) == ["page-0001.json", "page-0002.json",
                                                                      "page-0003.json"]
    assert len(json.loads((archive / "posts" / "page-0003.json").read_text())) == 50
    assert len(markdown_files(tmp_path)) == 252
    assert (tmp_path / "pages" / "post-900.md").exists()


def test_custom_post_types(tmp_path):
    items = {"posts": posts(1), "product": [post(700, kind="product")], "event": [post(800, kind="event")]}
    with serve(WordPress(items=items)) as site:
        assert fetch(site, tmp_path, "--types", "product,event") == 0
    assert site.page_requests("product") == [1] and site.page_requests("event") == [1]
    assert (tmp_path / ".wp-api" / "product" / "page-0001.json").exists()
    assert len(markdown_files(tmp_path)) == 3


def test_without_total_pages_it_pages_until_a_short_page(tmp_path):
    with serve(WordPress(items={"posts": posts(200)}, total_pages_header=False)) as site:
        assert fetch(site, tmp_path) == 0
    assert site.page_requests() == [1, 2, 3]  # page 3 answers 400 invalid page number
    assert len(markdown_files(tmp_path)) == 200


def test_more_posts_than_the_pages_said_are_fetched_all(tmp_path):
    # X-WP-Total says 250 posts, X-WP-TotalPages one page of 100: 150 would go missing
    with serve(WordPress(items={"posts": posts(250)}, total_pages_says=1)) as site:
        assert fetch(site, tmp_path) == 0
    assert sorted(site.page_requests()) == [1, 2, 3]
    assert len(markdown_files(tmp_path)) == 250


def test_stops_cleanly_at_invalid_page_number(tmp_path, capsys):
    # page 1 says 5 pages, but posts went away: pages 4 and 5 answer rest_post_invalid_page_number
    stale = tmp_path / ".wp-api" / "posts" / "page-0005.json"
    stale.parent.mkdir(parents=True)
    stale.write_text(json.dumps([post(999)]))  # from an earlier run of a bigger site
    with serve(WordPress(items={"posts": posts(250)}, extra_pages=2)) as site:
        assert fetch(site, tmp_path) == 0
    assert sorted(site.page_requests()) == [1, 2, 3, 4, 5]
    assert "error:" not in capsys.readouterr().err
    assert not stale.exists()
    assert len(markdown_files(tmp_path)) == 250


def test_concurrency_limit_is_respected(tmp_path):
    with serve(WordPress(items={"posts": posts(900)}, delay=0.05)) as site:
        assert fetch(site, tmp_path, "--concurrency", "2") == 0
    assert sorted(site.page_requests()) == list(range(1, 10))
    assert site.most_in_flight == 2


# --- faults ---------------------------------------------------------------------------------------

def test_retries_survive_every_kind_of_fault(tmp_path, capsys):
    # page 1's first 500 answers the request that looks for the API there (asked once): the index,
    # once it answers, finds it, and page 1 then takes three tries
    faults = {"posts page 1": ["500", "503", "500"], "posts page 2": ["429", "cut"],
              "posts page 3": ["stall", "reset"], "posts page 4": ["badjson"], "/": ["503"]}
    with serve(WordPress(items={"posts": posts(350)}, faults=faults, stall=STALL_SECONDS)) as site:
        assert fetch(site, tmp_path, *STALLS) == 0
    assert sorted(site.page_requests()) == [1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4]
    assert site.log.count("/wp-json/") == 2
    err = capsys.readouterr().err
    assert "0 failed, 7 retries" in err
    assert err.strip().endswith("0 errors")
    assert len(markdown_files(tmp_path)) == 350


def test_a_page_that_always_fails_is_one_error_and_the_rest_converts(tmp_path, capsys):
    with serve(WordPress(items={"posts": posts(300)}, always_fail={"posts page 2"})) as site:
        assert fetch(site, tmp_path, "--retries", "2") == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert f"{site.url}/wp-json/wp/v2/posts?" in errors[0] and "page=2" in errors[0]
    assert "HTTP 500 (tried 3 times)" in errors[0]
    assert len(markdown_files(tmp_path)) == 200
    assert not (tmp_path / ".wp-api" / "posts" / "page-0002.json").exists()


@pytest.mark.parametrize("fault, reason", [
    ("loop", "redirected in a loop (or more than 20 times)"),
    ("gzip", "unreadable reply ("),
    ("deep", "reply is not complete JSON (cut off?) (tried 3 times)"),
    ("login", "reply is an HTML page, not JSON (tried 3 times)"),
])
def test_a_page_answered_with_something_unreadable_is_one_error_and_the_rest_converts(tmp_path, capsys, fault,
                                                                                      reason):
    with serve(WordPress(items={"posts": posts(300)}, faults={"posts page 2": [fault] * 30})) as site:
        assert fetch(site, tmp_path, "--retries", "2") == 1
    lines = capsys.readouterr().err.splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and "page=2" in errors[0] and reason in errors[0], errors
    assert not any(line.startswith((" ", "Traceback")) for line in lines)
    assert len(markdown_files(tmp_path)) == 200


def test_a_page_that_is_not_utf8_is_kept_and_converted_with_a_warning(tmp_path, capsys):
    with serve(WordPress(items={"posts": posts(150)}, faults={"posts page 2": ["latin1"]})) as site:
        assert fetch(site, tmp_path) == 0
    assert summary(capsys.readouterr()).endswith("1 warnings, 0 errors")  # warnings are not shown with -q
    assert read_markdown(tmp_path / "post-999.md")[0]["title"] == "Caf\ufffd"


def test_a_site_that_ignores_the_page_number_is_not_paged_for_ever(tmp_path, capsys):
    # no X-WP-TotalPages, and page 1 whatever page is asked for: pages would never end
    with serve(WordPress(items={"posts": posts(300)}, total_pages_header=False, ignores_page=True)) as site:
        assert fetch(site, tmp_path) == 1
    assert site.page_requests() == [1, 2]
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].endswith("the same posts as page 1: the site ignores ?page=, so no more "
                                                   "pages were asked for")
    assert len(markdown_files(tmp_path)) == 100


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_retry_delay_doubles_with_jitter_and_is_capped():
    policy = RetryPolicy(retries=5, backoff=1.0, max_wait=10.0)
    for attempt, ceiling in enumerate([1, 2, 4, 8, 10, 10]):
        delays = {retry_delay(attempt, policy) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1
    assert retry_delay(0, policy, retry_after=3) == 3  # what the server asked for
    assert retry_delay(0, policy, retry_after=3600) == 10  # but never longer than max_wait


# --- resuming and running again ----------------------------------------------------------------------

def _fetch_until_pages_done(site, folder, pages: int, *args: str, **popen):
    """A fetch command started in its own process, and the posts pages it has finished once it has
    finished that many (or 60 seconds have passed: a loaded machine may take many to start it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pelican_wp_import.cli", "fetch", site.url, "-o", str(folder),
                             "--timeout", "20", "-q", *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, **popen)
    state_file = folder / ".wp-api" / STATE
    deadline = time.monotonic() + 60
    done = []
    while time.monotonic() < deadline and len(done) < pages:
        time.sleep(0.05)
        try:
            done = json.loads(state_file.read_text())["done"].get("posts", [])
        except (OSError, ValueError):
            pass
    return proc, done


def _processes_naming(folder, wait: float) -> list[int]:
    """The processes whose command line names folder, once none is left or wait seconds have passed."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir() if Path("/proc/self/cmdline").exists() else ():
            try:
                if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_an_interrupted_run_resumes_without_fetching_finished_pages(tmp_path):
    held = threading.Event()
    # page 4 is held until the test lets it go, however slow the machine
    site = WordPress(items={"posts": posts(600)}, hold={"posts page 4": held}, hold_limit=300)
    with serve(site):
        proc, done = _fetch_until_pages_done(site, tmp_path, 5, stderr=subprocess.DEVNULL)
        proc.send_signal(signal.SIGKILL)  # killed while page 4 is on its way
        proc.wait()
        assert 4 not in done and len(done) == 5
        # its converter processes, one maybe blocked sending a page's results to no one, end too
        assert _processes_naming(tmp_path, wait=10) == []
        held.set()
        site.log.clear()
        assert fetch(site, tmp_path) == 0
    assert site.page_requests() == [4]
    assert len(markdown_files(tmp_path)) == 600


def test_ctrl_c_during_the_download_says_how_to_resume_and_nothing_else(tmp_path):
    """Ctrl-C reaches the whole process group, converter processes too (fetch starts them before the
    download): the person sees one line, not a traceback from each of them; and the command ends
    then, not once the requests in flight have their answers or time out."""
    held = threading.Event()
    # page 4 is held until the test ends, however slow the machine: the run stops while it is held
    site = WordPress(items={"posts": posts(600)}, hold={"posts page 4": held}, hold_limit=300)
    with serve(site):
        try:
            # as from a terminal: its own process group, and Ctrl-C not ignored (a shell's background
            # job, which may have started these tests, passes an ignored SIGINT down to what it runs)
            proc, done = _fetch_until_pages_done(site, tmp_path, 5, "--jobs", "2", "--timeout", "300",
                                                 stderr=subprocess.PIPE, text=True, start_new_session=True,
                                                 preexec_fn=default_sigint)
            time.sleep(3)  # the pages that came are converted: the converter processes wait for work
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
            try:
                _, stderr = proc.communicate(timeout=60)  # page 4 is still held, for minutes more
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                pytest.fail("after Ctrl-C, fetch waited for the request in flight")
        finally:
            held.set()
    assert len(done) == 5
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == ["interrupted: run the same command again to go on where it stopped"]


def test_a_resumed_run_asks_for_each_missing_page_once(tmp_path):
    with serve(WordPress(items={"posts": posts(300)}, always_fail={"posts page 3"})) as site:
        assert fetch(site, tmp_path, "--retries", "0") == 1
        (tmp_path / ".wp-api" / "posts" / "page-0001.json").unlink()  # gone since: asked for again
        site.always_fail.clear()
        site.log.clear()
        # page 3 answers after page 1, whose answer would otherwise have to be the slower to show it
        site.hold, site.hold_limit = {"posts page 3": threading.Event()}, 1.0
        assert fetch(site, tmp_path) == 0
        # pages 1 and 3 at once; page 1's answer, which tells the number of pages, adds none of them again
        assert sorted(site.page_requests()) == [1, 3]
    assert len(markdown_files(tmp_path)) == 300


def test_a_run_with_other_settings_than_the_unfinished_one_finds_the_api_with_its_page_1(tmp_path):
    items = {"posts": posts(300), "product": [post(700, kind="product")]}
    with serve(WordPress(items=items, always_fail={"product page 1"})) as site:
        assert fetch(site, tmp_path, "--types", "product", "--retries", "0") == 1  # unfinished, posts' pages done
        site.log.clear()
        assert fetch(site, tmp_path) == 0  # not the same run: a fresh one, page 1 first
        assert "/wp-json/" not in site.log and sorted(site.page_requests()) == [1, 2, 3]
    assert len(markdown_files(tmp_path)) == 300


def test_failed_pages_are_fetched_by_the_next_run_and_a_finished_run_starts_afresh(tmp_path):
    with serve(WordPress(items={"posts": posts(300)}, always_fail={"posts page 3"})) as site:
        assert fetch(site, tmp_path, "--retries", "0") == 1
        site.always_fail.clear()
        site.log.clear()
        assert fetch(site, tmp_path) == 0
        assert site.page_requests() == [3]
        page1 = tmp_path / ".wp-api" / "posts" / "page-0001.json"
        before = page1.stat().st_mtime_ns
        site.log.clear()
        assert fetch(site, tmp_path) == 0  # the last run finished: everything is asked for again
        assert sorted(site.page_requests()) == [1, 2, 3]
    assert page1.stat().st_mtime_ns == before  # same bytes, not rewritten


def test_convert_of_the_output_folder_does_not_read_the_archive(tmp_path, capsys):
    with serve(WordPress(items={"posts": posts(3)})) as site:
        assert fetch(site, tmp_path / "site") == 0
    capsys.readouterr()
    assert main(["convert", str(tmp_path / "site"), "--output", str(tmp_path / "other")]) == 1
    assert "no .json files or WordPress exports (.xml) to convert" in capsys.readouterr().err
    # and the archive alone rebuilds the site offline
    assert main(["convert", str(tmp_path / "site" / ".wp-api"), "--output", str(tmp_path / "rebuilt"), "-q"]) == 0
    assert [p.name for p in markdown_files(tmp_path / "rebuilt")] == [p.name for p in markdown_files(tmp_path / "site")]


def test_300_posts_through_faults_then_a_second_run_writes_nothing_and_keeps_a_hand_edit(tmp_path, capsys):
    # a fifth of the requests fail at random, and page 2 twice for sure (a run makes few requests)
    site = WordPress(items={"posts": make_posts(300)}, fault_rate=0.2, faults={"posts page 2": ["503", "cut"]},
                     stall=STALL_SECONDS)
    with serve(site):
        assert fetch(site, tmp_path, *STALLS) == 0
        first = capsys.readouterr().err
        assert summary_line(first).startswith("300 posts converted (300 written,")
        files = markdown_files(tmp_path)
        assert len(files) == 300
        edited = files[17]
        edited.write_text(edited.read_text() + "\nA note added by hand.\n")
        assert fetch(site, tmp_path, *STALLS) == 0
        second = capsys.readouterr().err
    assert site.faults_served >= 2
    assert summary_line(second).startswith("300 posts converted (0 written, 299 unchanged, 1 kept as edited)")
    assert edited.read_text().endswith("A note added by hand.\n")


def summary_line(err: str) -> str:
    return err.strip().splitlines()[-1]


# --- signing in and --since ----------------------------------------------------------------------------

def test_application_password_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WP_USERNAME", "editor")
    monkeypatch.setenv("WP_APP_PASSWORD", "abcd efgh ijkl mnop")
    items = {"posts": [post(1), post(2, status="draft"), post(3, status="private")]}
    with serve(WordPress(items=items, users={"editor": "abcd efgh ijkl mnop"})) as site:
        assert fetch(site, tmp_path, "--status", "publish,draft,private", "--private", "hidden") == 0
    assert all(seen.startswith("Basic ") for seen in site.auth_seen)
    assert any("status=publish,draft,private" in entry for entry in site.log)
    assert read_markdown(tmp_path / "post-2.md")[0]["status"] == "draft"
    assert read_markdown(tmp_path / "post-3.md")[0]["status"] == "hidden"


def test_other_statuses_need_a_password_and_it_is_never_sent_in_clear(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("WP_USERNAME", raising=False)
    monkeypatch.delenv("WP_APP_PASSWORD", raising=False)
    assert main(["fetch", "http://127.0.0.1:9/", "-o", str(tmp_path), "--status", "draft"]) == 2
    monkeypatch.setenv("WP_USERNAME", "editor")
    monkeypatch.setenv("WP_APP_PASSWORD", "secret")
    assert main(["fetch", "http://example.org/", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "needs WP_USERNAME and WP_APP_PASSWORD" in err and "over https only" in err


def test_since_asks_for_modified_after_and_merges_changes_into_the_archive(tmp_path, capsys):
    items = {"posts": posts(150)}
    with serve(WordPress(items=items)) as site:
        assert fetch(site, tmp_path) == 0
        items["posts"][5] = post(6, modified="2024-06-02T08:00:00", title="Changed title")
        items["posts"].append(post(151, modified="2024-06-03T08:00:00"))
        site.log.clear()
        capsys.readouterr()
        assert fetch(site, tmp_path, "--since", "2024-06-01") == 0
        assert summary(capsys.readouterr()).startswith("2 posts converted (2 written,")
        assert all("modified_after=2024-06-01T00:00:00" in entry for entry in site.log if "/posts?" in entry)
        assert fetch(site, tmp_path, "--since", "2024-07-01") == 0  # nothing changed since
    assert read_markdown(tmp_path / "post-6.md")[0]["title"] == "Changed title"
    archive = tmp_path / ".wp-api" / "posts"
    assert [p["id"] for p in json.loads((archive / "page-0002.json").read_text())][-1] == 151
    assert main(["convert", str(tmp_path / ".wp-api"), "-o", str(tmp_path / "offline"), "-q"]) == 0
    assert read_markdown(tmp_path / "offline" / "post-6.md")[0]["title"] == "Changed title"
    assert len(markdown_files(tmp_path / "offline")) == 151


# --- small parts -------------------------------------------------------------------------------------

def test_api_addresses_in_both_forms():
    params = {"per_page": 100, "page": 2}
    assert Api("https://a.example/wp-json/").url("wp/v2/posts", params) == \
        "https://a.example/wp-json/wp/v2/posts?per_page=100&page=2"
    assert Api("https://a.example/blog/?rest_route=/").url("wp/v2/posts", params) == \
        "https://a.example/blog/?rest_route=/wp/v2/posts&per_page=100&page=2"


def test_what_counts_as_an_api_root_and_a_site():
    assert given_root("https://a.example/wp-json") == Api("https://a.example/wp-json/")
    assert given_root("https://a.example/index.php?rest_route=/") == Api("https://a.example/index.php?rest_route=/")
    assert given_root("https://a.example/blog/") is None
    assert site_url("a.example/blog") == "https://a.example/blog/"
    assert api_link_in_header(['<https://a.example/x,y/>; rel="https://api.w.org/"']) == "https://a.example/x,y/"
    assert api_link_in_header(['<https://a.example/feed/>; rel="alternate"']) == ""


def test_usage_errors(tmp_path):
    assert main(["fetch", "http://127.0.0.1:9/", "-o", str(tmp_path), "--since", "last week"]) == 2
    assert main(["fetch", "http://127.0.0.1:9/", "-o", str(tmp_path), "--types", "../etc"]) == 2
    assert main(["fetch", "http://127.0.0.1:9/", "-o", str(tmp_path), "--concurrency", "0"]) == 2
    for bad in (["--timeout", "nan"], ["--max-wait", "inf"], ["--backoff", "-1"]):
        assert main(["fetch", "http://127.0.0.1:9/", "-o", str(tmp_path), *bad]) == 2
    for site in ("http://[::1", "ftp://a.example/", "", "http://a.example:99999/"):
        assert main(["fetch", site, "-o", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []  # nothing asked for, nothing made
    for command in ("fetch", "convert"):
        with pytest.raises(SystemExit) as stopped:  # an empty name would mean the current folder
            main([command, "http://127.0.0.1:9/", "-o", ""])
        assert stopped.value.code == 2


def test_an_output_that_cannot_be_a_folder_stops_fetch_before_it_asks_the_site_anything(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with serve(WordPress(items={"posts": posts(3)})) as site:
        assert fetch(site, a_file) == 1
    assert site.log == []
    assert capsys.readouterr().err.splitlines() == [f"error: {a_file}: a file, not a folder"]


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_download_progress_on_a_terminal(tmp_path):
    with serve(WordPress(items={"posts": posts(300)}, delay=0.05)) as site:
        code, shown = run_on_a_terminal("fetch", site.url, "-o", tmp_path)
    assert code == 0
    assert "downloading" in shown and "\x1b[" in shown
    assert "300 posts converted" in shown


# --- converting what a fetch keeps: a few files of 100 posts each -----------------------------------

def test_big_pages_of_posts_convert_in_parts_with_the_same_result(tmp_path, capsys):
    pages = [make_posts(300)[start:start + 100] for start in (0, 100, 200)]
    pages[0][40]["slug"] = pages[0][10]["slug"]  # the same slug in two parts of one file
    folder = tmp_path / "in"
    folder.mkdir()
    for number, items in enumerate(pages, 1):
        (folder / f"page-{number}.json").write_text(json.dumps(items))
    cut = (folder / "page-3.json").read_bytes()
    (folder / "page-3.json").write_bytes(cut[:len(cut) - 5000])  # a cut-off file: one warning, once
    lines = {}
    for jobs in (1, 2):
        assert main(["convert", str(folder), "-o", str(tmp_path / f"out{jobs}"), "-j", str(jobs)]) == 0
        lines[jobs] = capsys.readouterr().err.replace(str(tmp_path / f"out{jobs}"), "OUT").splitlines()
    assert lines[1] == lines[2]
    assert sum("cut off" in line or "truncated" in line for line in lines[2]) == 1
    one, two = markdown_files(tmp_path / "out1"), markdown_files(tmp_path / "out2")
    assert [p.name for p in one] == [p.name for p in two] and len(one) > 290
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two))


@pytest.fixture
def self_signed(tmp_path):
    """A certificate for 127.0.0.1 that no authority signed: (server TLS context, certificate file)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert


def test_https_certificates_are_checked_and_ssl_cert_file_is_honoured(tmp_path, self_signed, monkeypatch, capsys):
    """The certificate store is loaded at the first https request, not before every fetch; it is
    still loaded, and checked: a certificate nobody vouches for is refused, one the environment
    trusts (SSL_CERT_FILE) is accepted."""
    context, cert = self_signed
    with serve(WordPress(items={"posts": posts(3)}), tls=context) as site:
        assert site.url.startswith("https://")
        assert fetch(site, tmp_path / "refused") == 1
        err = capsys.readouterr().err
        assert "certificate is not trusted" in err and "CERTIFICATE_VERIFY_FAILED" in err
        assert "tried" not in err  # no second try: the same certificate would be refused again
        assert not markdown_files(tmp_path / "refused")
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        assert fetch(site, tmp_path / "trusted") == 0
    assert len(markdown_files(tmp_path / "trusted")) == 3


def test_fetch_loads_httpx_without_its_command_line_tool_or_trio():
    """httpx's own command (click, rich, pygments) would be a tenth of a second of every fetch, and
    httpcore's trio locks (for asynchronous clients) 0.14 s before the first request, when trio is
    installed. Both stay importable for anything else in the process."""
    probe = ("import sys, importlib.util, pelican_wp_import.fetch as f\n"
             "from pelican_wp_import.wpapi import new_client\n"
             "new_client(5, 1).close()\n"
             "print('httpx._main' in sys.modules, 'click' in sys.modules, 'trio' in sys.modules, "
             "f.httpx.Client.__name__)\n"
             "try:\n    import trio\n    print(True)\n"
             "except ImportError:\n    print(importlib.util.find_spec('trio') is None)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False", "Client", "True"]
