"""A SQLite store that cannot take writes: a full disk makes /ready say so and writes answer 503
(not 500) until there is room again; a store on a read-only directory or filesystem stops `serve`
with the path and the cause.

The disk is a small tmpfs mounted in a mount namespace of the server's own (`unshare`; as an
unprivileged user, in a user namespace too), filled from outside through /proc/PID/root. Read-only
directories need a user the permissions bind: as root the server runs as `nobody`."""
import errno
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import EVENTLY_BIN, Api, Server, assert_error, wait_ready
from support_booking import register

NOBODY = 65534


def can_unshare():
    try:
        return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                              capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_unshare = pytest.mark.skipif(not can_unshare(),
                                   reason="no user and mount namespaces here (unshare)")


def in_own_mounts(script, *args):
    """A wrapper running `script` (sh, "$@" the server command) in mount namespaces of its own."""
    return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", *args]


def fill(path):
    """Writes `path` until the filesystem refuses: ENOSPC."""
    with open(path, "wb", buffering=0) as f:
        for chunk in (1 << 20, 4096, 512):
            block = b"\0" * chunk
            try:
                while True:
                    f.write(block)
            except OSError as e:
                assert e.errno == errno.ENOSPC, e


@needs_unshare
def test_full_disk_makes_ready_say_so_and_writes_503_until_there_is_room():
    disk = tempfile.mkdtemp(prefix="evently-full-")
    srv = Server("sqlite:" + os.path.join(disk, "store.db"), wrapper=in_own_mounts(
        'mount -t tmpfs -o size=16m tmpfs "$1" && shift && exec "$@"', disk))
    srv.start()
    try:
        api, _ = register(Api(srv.base))
        assert api.get("/ready").status_code == 200
        # The server's view of its disk, from outside its mount namespace.
        filler = f"/proc/{srv.proc.pid}/root{disk}/filler"
        fill(filler)

        ready = api.get("/ready")
        error = assert_error(ready, 503, "SERVICE_UNAVAILABLE")
        assert error["details"]["reason"] == "out_of_space"
        # Writes that need room fail as the store being unavailable, never as a bug.
        answers = []
        for _ in range(300):
            r = api.post("/api/v1/auth/register", json={
                "email": f"full-{len(answers)}-{time.time_ns()}@example.com",
                "password": "Passw0rd!x", "full_name": "Full Disk"})
            answers.append(r.status_code)
            assert r.status_code in (201, 503), r.text
            if r.status_code == 503:
                assert_error(r, 503, "SERVICE_UNAVAILABLE")
                assert int(r.headers["Retry-After"]) >= 1
                break
        assert 503 in answers, f"every write passed on a full disk: {answers}"
        assert api.get("/api/v1/users/bookings").status_code == 200  # reads still answer

        os.remove(filler)
        assert wait_ready(api, 10)
        register(Api(srv.base))  # 201: writes pass again, no restart
    finally:
        assert srv.stop() == 0, srv.stderr()
        shutil.rmtree(disk, ignore_errors=True)


def as_unprivileged():
    """A wrapper under which directory permissions bind (root ignores them)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def serve_fails(store_url, wrapper):
    env = dict(os.environ, EVENTLY_DATABASE_URL=store_url, EVENTLY_PORT="0",
               EVENTLY_PASSWORD_HASH="fast")
    r = subprocess.run([*wrapper, EVENTLY_BIN, "serve"], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode != 0, r.stderr
    return r.stderr


def migrate(store_url):
    env = dict(os.environ, EVENTLY_DATABASE_URL=store_url)
    r = subprocess.run([EVENTLY_BIN, "migrate"], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr


def test_serve_on_a_read_only_directory_names_the_path_and_the_cause():
    parent = tempfile.mkdtemp(prefix="evently-ro-")
    try:
        os.chmod(parent, 0o755)
        store = os.path.join(parent, "locked", "store.db")
        os.makedirs(os.path.dirname(store))
        os.chmod(os.path.dirname(store), 0o555)
        err = serve_fails("sqlite:" + store, as_unprivileged())
        assert store in err, err
        assert "not writable" in err and "Permission denied" in err, err
        assert "listening on" not in err

        # A store that exists, in a directory and a file this user may not write.
        existing = os.path.join(parent, "existing", "store.db")
        migrate("sqlite:" + existing)
        os.chmod(existing, 0o444)
        os.chmod(os.path.dirname(existing), 0o555)
        err = serve_fails("sqlite:" + existing, as_unprivileged())
        assert existing in err and "not writable" in err, err
    finally:
        for root, dirs, _ in os.walk(parent):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(parent, ignore_errors=True)


@needs_unshare
def test_serve_on_a_read_only_filesystem_names_the_path_and_the_cause():
    parent = tempfile.mkdtemp(prefix="evently-rofs-")
    try:
        store = os.path.join(parent, "store.db")
        migrate("sqlite:" + store)
        err = serve_fails("sqlite:" + store, in_own_mounts(
            'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
            parent))
        assert store in err, err
        assert "read-only" in err, err
    finally:
        shutil.rmtree(parent, ignore_errors=True)
