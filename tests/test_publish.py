"""Publishing: the GitHub Pages workflow is valid, and publishconf.py gives a site ready to serve."""
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import CONTENT, ROOT
from helpers import build_site, html

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _check_jsonschema(path):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True)


def test_workflow_is_valid_by_githubs_schema():
    result = _check_jsonschema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = yaml.safe_load(WORKFLOW.read_text())
    broken["jobs"]["deploy"]["runs-on"] = {"bad": 1}
    del broken["jobs"]["build"]["steps"]
    (tmp_path / "pages.yml").write_text(yaml.safe_dump(broken))
    assert _check_jsonschema(tmp_path / "pages.yml").returncode != 0


def test_workflow_builds_with_publishconf_and_deploys_to_pages():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = " ".join(step.get("run", "") for step in build["steps"])
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"] + deploy["steps"]]
    assert "pelican content -s publishconf.py -o output" in runs
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    content = tmp_path_factory.mktemp("site") / "content"
    shutil.copytree(CONTENT, content)
    (content / "extra").mkdir(exist_ok=True)
    (content / "extra" / "CNAME").write_text("news.example.org\n")
    return build_site(content, tmp_path_factory.mktemp("site") / "output", config="publishconf.py",
                      SITEURL="https://news.example.org", FEED_DOMAIN="https://news.example.org")


def test_published_build_has_the_cname_at_the_root(published):
    assert (published / "CNAME").read_text() == "news.example.org\n"
    assert not (published / "extra").exists()


def test_published_build_links_absolutely_and_has_feeds(published):
    index = html(published / "index.html")
    assert index.select_one("link[rel=canonical]")["href"] == "https://news.example.org/"
    hrefs = [a["href"] for a in index.select("main a[href]")]
    assert hrefs and all(h.startswith("https://news.example.org/") for h in hrefs), hrefs[:5]
    feed = (published / "feeds" / "all.atom.xml").read_text()
    assert "https://news.example.org/" in feed
    assert (published / "404.html").exists() and (published / "sitemap.xml").exists()


def test_publishconf_reads_from_any_working_folder(tmp_path):
    script = f"from pelican.settings import read_settings; s = read_settings({str(ROOT / 'publishconf.py')!r}); " \
             "print(s['RELATIVE_URLS'], s['THEME'].endswith('theme'), 'extra' in s['STATIC_PATHS'])"
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True"], result.stderr
