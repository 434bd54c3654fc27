"""A real JupyterHub on 127.0.0.1: three learners log in, open a lesson through an nbgitpuller link to a local
git repository of the course, answer a question in their own kernel, and find their own progress and only
theirs; the course then changes, a second click brings the change, and a learner's own edit survives.

The hub follows docs/DEPLOY.md's single-machine recipe where a test can: the course installed in the
hub's Python, nbgitpuller links made by `il2edu links`, progress in each user's home. Authentication is
JupyterHub's dummy authenticator and the spawner is SimpleLocalProcessSpawner (one home folder per user,
all processes as the hub's own user): a test stand-in for TLJH's system users. configurable-http-proxy
comes from the npm registry, installed once into a cache folder. Everything listens on loopback only.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

requests = pytest.importorskip("requests")
websocket = pytest.importorskip("websocket")
pytest.importorskip("jupyterhub")
pytest.importorskip("nbgitpuller")

REPO = Path(__file__).resolve().parent.parent
PYBIN = Path(sys.executable).parent
CHP_VERSION = "5.3.0"
CHP_CACHE = Path(os.environ.get("IL2EDU_CHP_CACHE", Path.home() / ".cache" / "il2edu" / "chp"))
USERS = ("ada", "ben", "cy")
PASSWORD = "il2edu-test"
TIMEOUT = 90  # seconds for any one wait; the whole test stays within a few minutes

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proxy() -> str:
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    binary = CHP_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if not binary.exists():
        if not shutil.which("npm"):
            pytest.skip("the hub test needs configurable-http-proxy or npm to install it (apt-get install npm)")
        CHP_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CHP_CACHE),
                               f"configurable-http-proxy@{CHP_VERSION}"], capture_output=True, text=True, timeout=300)
        if done.returncode or not binary.exists():
            pytest.fail(f"npm could not install configurable-http-proxy into {CHP_CACHE}: {done.stderr[-500:]}")
    return str(binary)


def _git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Instructor", "GIT_AUTHOR_EMAIL": "i@example.org",
           "GIT_COMMITTER_NAME": "Instructor", "GIT_COMMITTER_EMAIL": "i@example.org"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def _wait(predicate, what: str, timeout=TIMEOUT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


CONFIG = """
import os
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.db_url = "sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/cookie_secret"
c.JupyterHub.pid_file = "{work}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{work}/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
# Each learner's progress lives in their own home, as on a hub with one system user per learner.
c.Spawner.environment = {{
    "PATH": {path!r},
    "IL2EDU_HOME": lambda spawner: spawner.home_dir + "/.il2edu",
    "MPLBACKEND": "agg",
}}
c.JupyterHub.services = [{{"name": "harness", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "harness", "services": ["harness"],
                             "scopes": ["admin:users", "admin:servers", "access:servers"]}}]
c.JupyterHub.cleanup_servers = True
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    work = tmp_path_factory.mktemp("hub")
    course = work / "course-repo"
    (course / "release").mkdir(parents=True)
    shutil.copy(REPO / "notebooks" / "02_receptor.ipynb", course / "release" / "02_receptor.ipynb")
    (course / "README.md").write_text("# IL-2 course for the class\n", encoding="utf-8")
    _git(course, "init", "-q", "-b", "main")
    _git(course, "add", "-A")
    _git(course, "commit", "-q", "-m", "first release")
    port, token = _free_port(), uuid.uuid4().hex
    config = work / "jupyterhub_config.py"
    config.write_text(CONFIG.format(
        port=port, hub_port=_free_port(), proxy_api_port=_free_port(), proxy=_proxy(), work=work,
        password=PASSWORD, singleuser=str(PYBIN / "jupyterhub-singleuser"),
        path=f"{PYBIN}:/usr/local/bin:/usr/bin:/bin", token=token), encoding="utf-8")
    log = open(work / "hub.log", "wb")
    proc = subprocess.Popen([str(PYBIN / "jupyterhub"), "-f", str(config)], cwd=work, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def up():
            if proc.poll() is not None:
                raise AssertionError("the hub stopped: " + (work / "hub.log").read_text()[-3000:])
            try:
                return requests.get(f"{base}/hub/api", timeout=2).ok
            except requests.ConnectionError:
                return False
        _wait(up, "the hub to answer")
        yield {"base": base, "token": token, "work": work, "course": course, "proc": proc}
    finally:
        # Stop the hub by its process id; it stops the proxy and the single-user servers it started.
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def login(hub, name) -> requests.Session:
    s = requests.Session()
    s.get(f"{hub['base']}/hub/login", timeout=10).raise_for_status()
    r = s.post(f"{hub['base']}/hub/login", timeout=30,
               data={"username": name, "password": PASSWORD, "_xsrf": s.cookies.get("_xsrf", "")})
    r.raise_for_status()
    assert s.cookies.get("jupyterhub-hub-login"), f"{name} was not logged in: {r.url}"
    return s


def click(hub, session, link: str, name: str) -> requests.Response:
    """What a click on the link does without a browser's JavaScript: follow it until the learner's own server
    answers (the hub starts it on the first click), landing on nbgitpuller's page."""
    def landed():
        r = session.get(link, timeout=30)
        return r if r.ok and f"/user/{name}/git-pull" in r.url else None
    return _wait(landed, f"{name}'s server to start and show nbgitpuller's page")


def pull(hub, session, name: str, link: str) -> list[dict]:
    """The pull that nbgitpuller's page starts from the browser: its event stream, until it finishes."""
    query = link.split("git-pull?", 1)[1]
    r = session.get(f"{hub['base']}/user/{name}/git-pull/api?{query}", stream=True, timeout=TIMEOUT)
    r.raise_for_status()
    events = []
    for line in r.iter_lines(decode_unicode=True):
        if line and line.startswith("data:"):
            events.append(json.loads(line[5:]))
            if events[-1].get("phase") in ("finished", "error"):
                break
    r.close()
    assert events and events[-1]["phase"] == "finished", events[-3:]
    return events


def run_in_kernel(hub, name: str, code: str) -> str:
    """Run code in a new kernel of the learner's own server (REST + websocket, as JupyterLab does); stdout."""
    headers = {"Authorization": f"token {hub['token']}"}
    api = f"{hub['base']}/user/{name}/api"
    kernel = requests.post(f"{api}/kernels", json={"name": "python3"}, headers=headers, timeout=60).json()
    ws = websocket.create_connection(f"ws://127.0.0.1:{hub['base'].rsplit(':', 1)[1]}/user/{name}/api/kernels/"
                                     f"{kernel['id']}/channels", header=[f"Authorization: token {hub['token']}"],
                                     timeout=TIMEOUT)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex,
                                   "msg_type": "execute_request", "version": "5.3", "date": ""},
                        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True}}))
    out, errors, replied, idle = [], [], False, False
    try:
        # Output comes on iopub, the reply on shell, in no fixed order: wait for both the reply and idle.
        while not (replied and idle):
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                errors.append("\n".join(msg["content"]["traceback"]))
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
    finally:
        ws.close()
        requests.delete(f"{api}/kernels/{kernel['id']}", headers=headers, timeout=30)
    assert not errors, errors
    return "".join(out)


ANSWER = """
import il2edu, json
from il2edu import progress
q = il2edu.question("02-trimer-affinity")
q.set_answer({choice!r})
q.check()
print(json.dumps({{"feedback": q.feedback_text, "home": str(progress.home()), "rows": progress.store().rows()}}))
"""


def test_three_learners_pull_the_lesson_answer_and_see_only_their_own_progress(hub):
    # docs/DEPLOY.md, "Links": the instructor prints one link per lesson and hands them out.
    printed = subprocess.run([str(PYBIN / "il2edu"), "links", "--hub", hub["base"], "--repo", str(hub["course"]),
                              "--folder", "course"], check=True, capture_output=True, text=True).stdout
    link = dict(line.split(": ", 1) for line in printed.splitlines())["02-receptor"]
    assert link.startswith(f"{hub['base']}/hub/user-redirect/git-pull?repo=")
    choices = {"ada": "About 10 pM", "ben": "About 1 nM", "cy": "About 10 pM"}
    sessions = {}
    for name in USERS:
        sessions[name] = s = login(hub, name)
        page = click(hub, s, link, name)
        assert "nbgitpuller" in page.text.lower() or "git-pull" in page.text
        pull(hub, s, name, link)
        lesson = hub["work"] / "home" / name / "course" / "release" / "02_receptor.ipynb"
        assert lesson.is_file(), f"{name}'s home has no lesson after the pull"
        # The lesson opens through the learner's own server (what JupyterLab's file browser shows).
        r = requests.get(f"{hub['base']}/user/{name}/api/contents/course/release/02_receptor.ipynb",
                         headers={"Authorization": f"token {hub['token']}"}, timeout=30)
        assert r.ok and r.json()["type"] == "notebook"

    seen = {name: json.loads(run_in_kernel(hub, name, ANSWER.format(choice=choices[name])).strip().splitlines()[-1])
            for name in USERS}
    for name in USERS:
        mine = seen[name]
        assert mine["home"] == str(hub["work"] / "home" / name / ".il2edu")
        assert [r["item_id"] for r in mine["rows"]] == ["02-trimer-affinity"]  # one row: their own answer only
        assert mine["rows"][0]["answer"] == choices[name]
        assert mine["feedback"].startswith("Correct" if choices[name] == "About 10 pM" else "Not quite")
        assert (hub["work"] / "home" / name / ".il2edu" / "progress.sqlite3").is_file()
    # Ben's wrong answer is in Ben's progress, in nobody else's.
    assert [r["correct"] for r in seen["ben"]["rows"]] == [0]
    assert all(r["correct"] == 1 for n in ("ada", "cy") for r in seen[n]["rows"])

    # A learner's own edit, then a new release of the course; the second click merges the two.
    ada_lesson = hub["work"] / "home" / "ada" / "course" / "release" / "02_receptor.ipynb"
    nb = json.loads(ada_lesson.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "ada-notes", "metadata": {},
                        "source": ["My notes: CD25 raises affinity about 100-fold."]})
    r = requests.put(f"{hub['base']}/user/ada/api/contents/course/release/02_receptor.ipynb",
                     json={"type": "notebook", "format": "json", "content": nb},
                     headers={"Authorization": f"token {hub['token']}"}, timeout=30)
    assert r.ok, r.text
    course = hub["course"]
    (course / "release" / "04_tolerance.ipynb").write_bytes((REPO / "notebooks" / "04_tolerance.ipynb").read_bytes())
    (course / "README.md").write_text("# IL-2 course for the class\n\nLesson 4 is out.\n", encoding="utf-8")
    _git(course, "add", "-A")
    _git(course, "commit", "-q", "-m", "release lesson 4")

    s = sessions["ada"]
    click(hub, s, link, "ada")
    pull(hub, s, "ada", link)
    home = hub["work"] / "home" / "ada" / "course"
    assert (home / "release" / "04_tolerance.ipynb").is_file()
    assert "Lesson 4 is out." in (home / "README.md").read_text(encoding="utf-8")
    kept = json.loads(ada_lesson.read_text(encoding="utf-8"))
    assert kept["cells"][-1]["source"] == ["My notes: CD25 raises affinity about 100-fold."]
    # Ada's progress is untouched by the pull.
    again = json.loads(run_in_kernel(hub, "ada", "import json\nfrom il2edu import progress\n"
                                                  "print(json.dumps(progress.store().rows()))").strip())
    assert [r["answer"] for r in again] == ["About 10 pM"]
