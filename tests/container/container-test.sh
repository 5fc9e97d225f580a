#!/usr/bin/env bash
# make container-test: build the Dockerfile and use the image the way a CI service or a demo does.
#
#   install podman (apt) -> base image from Debian packages (debootstrap; no registry is needed) -> podman build
#   -> run with --state on a mounted folder -> wait for HEALTHCHECK -> one request per vendor with the documented
#   credentials -> not root -> SIGTERM: worlds saved -> clean up.
#
# Podman's storage and configuration live under $WORK (removed at the end); the base image's root filesystem is
# cached as a tarball in $CACHE so a second run skips debootstrap. Runs as root (apt, debootstrap, rootful podman).
# Why each setting (measured on these machines): runc, not crun (crun refuses a hybrid cgroup layout); ulimits set
# to the host's hard limits (rootful podman asks for more than the VM allows); host network for the build and
# slirp4netns for the run (no bridge: no sysctl or iptables changes); --format docker (OCI drops HEALTHCHECK);
# the host CA bundle mounted read-only into RUN steps so pip trusts the package index as the host does.
#
# Knobs: WORK (scratch, default /tmp/mocks-container-test), CACHE (default /var/cache/mocks-container),
#        HOST_PORT (default 18000), KEEP=1 (keep $WORK), CA_BUNDLE (default /etc/ssl/certs/ca-certificates.crt).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/mocks-container-test}
CACHE=${CACHE:-/var/cache/mocks-container}
HOST_PORT=${HOST_PORT:-18000}
KEEP=${KEEP:-0}
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
SUITE=bookworm
BASE_IMAGE=localhost/debian-python:$SUITE
IMAGE=localhost/mocks:test
NAME=mocks-test-$$
PYTHON=${PYTHON:-python3}

T0=$(date +%s)
step() { echo "### [$(( $(date +%s) - T0 ))s] $*"; }
fail() { echo "container-test: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (apt-get, debootstrap, rootful podman); CI runs as root"

# ---------------------------------------------------------------- 1. tools
need=()
for tool in podman runc debootstrap slirp4netns fuse-overlayfs curl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
    step "installing ${need[*]} with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends --no-upgrade \
        podman buildah runc debootstrap fuse-overlayfs slirp4netns uidmap curl ca-certificates >/dev/null \
        || fail "apt-get could not install podman and its helpers"
fi

# ---------------------------------------------------------------- podman configured under $WORK only
rm -rf "$WORK"
mkdir -p "$WORK"/{conf,storage,run,tmp,networks,data} "$CACHE"
cat > "$WORK/conf/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$WORK/storage"
runroot = "$WORK/run/storage"
CONF
NOFILE=$(ulimit -Hn); PIDMAX=$(cat /proc/sys/kernel/pid_max); NPROC=$(ulimit -Hu)
if [ "$NOFILE" = unlimited ]; then NOFILE=1048576; fi
if [ "$NPROC" = unlimited ] || [ "$NPROC" -gt "$PIDMAX" ]; then NPROC=$PIDMAX; fi
cat > "$WORK/conf/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=$NPROC:$NPROC"]
[engine]
runtime = "runc"
events_logger = "file"
tmp_dir = "$WORK/run/libpod"
image_copy_tmp_dir = "$WORK/tmp"
[network]
network_config_dir = "$WORK/networks"
CONF
export CONTAINERS_CONF=$WORK/conf/containers.conf CONTAINERS_STORAGE_CONF=$WORK/conf/storage.conf

cleanup() {
    rc=$?
    podman rm -f -t 5 "$NAME" >/dev/null 2>&1 || true
    mountpoint -q "$WORK/rootfs/proc" 2>/dev/null && umount "$WORK/rootfs/proc"
    if [ "$KEEP" != 1 ]; then
        podman system reset -f >/dev/null 2>&1 || true
        rm -rf "$WORK"
    fi
    [ $rc = 0 ] && echo "### container-test: PASS" || echo "### container-test: FAIL (rc=$rc)"
}
trap cleanup EXIT

# ---------------------------------------------------------------- 2. base image from Debian packages
BASE_TAR=$CACHE/debian-python-$SUITE.tar
if [ ! -s "$BASE_TAR" ]; then
    MIRROR=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' \
             | awk -v s="$SUITE" '$1==s {print $2; exit}')
    SECMIRROR=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' \
             | awk -v s="$SUITE-security" '$1==s {print $2; exit}')
    [ -n "$MIRROR" ] || fail "no $SUITE mirror in apt's configuration (apt-get update first)"
    R=$WORK/rootfs
    debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
    {
        echo "deb $MIRROR $SUITE main"
        echo "deb $MIRROR $SUITE-updates main"
        if [ -n "$SECMIRROR" ]; then echo "deb $SECMIRROR $SUITE-security main"; fi
    } > "$R/etc/apt/sources.list"
    printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"; chmod +x "$R/usr/sbin/policy-rc.d"
    mount -t proc proc "$R/proc"
    chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends \
                 python3 python3-venv python3-pip ca-certificates \
               && apt-get clean && rm -rf /var/lib/apt/lists/*' >"$WORK/chroot-apt.log" 2>&1 \
        || { umount "$R/proc"; tail -20 "$WORK/chroot-apt.log"; fail "python3 into the base"; }
    umount "$R/proc"
    : > "$R/etc/resolv.conf"; rm -f "$R/etc/hostname" "$R/usr/sbin/policy-rc.d"
    tar --numeric-owner --xattrs -C "$R" -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
    rm -rf "$R"
    step "base root filesystem made with debootstrap ($MIRROR), cached in $BASE_TAR"
fi
podman import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' "$BASE_TAR" "$BASE_IMAGE" >/dev/null
step "base image $BASE_IMAGE imported"

# ---------------------------------------------------------------- 3. build the project's Dockerfile
podman build --format docker --network host -v "$CA_BUNDLE:/etc/ssl/certs/ca-certificates.crt:ro" \
    --build-arg BASE="$BASE_IMAGE" -t "$IMAGE" "$REPO" >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log"; fail "podman build"; }
SIZE=$(podman image inspect -f '{{.Size}}' "$IMAGE")
BASE_SIZE=$(podman image inspect -f '{{.Size}}' "$BASE_IMAGE")
step "built $IMAGE: $((SIZE / 1000000)) MB (base $((BASE_SIZE / 1000000)) MB, the suite $(((SIZE - BASE_SIZE) / 1000000)) MB)"
[ "$(podman image inspect -f '{{.Config.Healthcheck}}' "$IMAGE")" != "<nil>" ] || fail "the image has no HEALTHCHECK"
[ "$(podman image inspect -f '{{.Config.User}}' "$IMAGE")" = "10001:10001" ] || fail "the image does not name its user"

# ---------------------------------------------------------------- 4. run it as a CI service would
chown 10001:10001 "$WORK/data"
podman run -d --name "$NAME" --network slirp4netns:port_handler=slirp4netns -p "127.0.0.1:$HOST_PORT:8000" \
    -v "$WORK/data:/data" -e MOCKS_STATE=/data/state.json -e MOCKS_SEED=7 "$IMAGE" \
    2> >(grep -v 'systemd connection' >&2) >/dev/null
healthy=""
for i in $(seq 1 60); do
    if podman healthcheck run "$NAME" >/dev/null 2>&1; then healthy=1; break; fi
    sleep 1
done
[ -n "$healthy" ] || { podman logs "$NAME"; fail "HEALTHCHECK never passed"; }
step "healthy after ${i}s: $(podman inspect -f '{{.State.Health.Status}}' "$NAME" 2>/dev/null || podman inspect -f '{{.State.Healthcheck.Status}}' "$NAME")"

"$PYTHON" "$REPO/tests/container/probe.py" "http://127.0.0.1:$HOST_PORT" || { podman logs "$NAME"; fail "probe"; }
# Read whole bodies before grep: `curl | grep -q` under pipefail fails when grep stops reading early (curl exit 23).
dashboard=$(curl -fsS "http://127.0.0.1:$HOST_PORT/_mocks/") || fail "dashboard"
grep -q "Piwik PRO" <<<"$dashboard" || fail "dashboard"
curl -fsS "http://127.0.0.1:$HOST_PORT/_mocks/explorer/assets/swagger-ui-bundle.js" >/dev/null || fail "explorer assets"
seed=$(curl -fsS "http://127.0.0.1:$HOST_PORT/_mocks/health" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["seed"])')
[ "$seed" = 7 ] || fail "MOCKS_SEED=7 was not applied (seed $seed)"
user=$(podman exec "$NAME" id -u); process_user=$(podman top "$NAME" user | awk 'NR==2 {print $1}')
[ "$user" != 0 ] && [ "$process_user" != root ] || fail "the server runs as root"
step "one request per vendor answered; seed 7 from MOCKS_SEED; runs as uid $user ($process_user)"

# ---------------------------------------------------------------- 5. SIGTERM: graceful stop, worlds saved
podman stop -t 20 "$NAME" 2> >(grep -v "systemd connection" >&2) >/dev/null
code=$(podman inspect -f '{{.State.ExitCode}}' "$NAME")
logs=$(podman logs "$NAME" 2>&1)
grep -q "worlds saved to /data/state.json" <<<"$logs" || { echo "$logs"; fail "no save on SIGTERM"; }
"$PYTHON" - "$WORK/data/state.json" <<'PY' || fail "state.json is not a snapshot of the touched worlds"
import json, sys
data = json.load(open(sys.argv[1]))
vendors = {w["vendor"] for w in data["worlds"]}
assert data["seed"] == 7 and {"perscom", "eloomi", "piwik_pro", "personio", "tasq"} <= vendors, (data["seed"], vendors)
print(f"state.json: seed {data['seed']}, {len(data['worlds'])} worlds of {sorted(vendors)}")
PY
step "SIGTERM: stopped (exit code $code), worlds saved to the mounted /data/state.json"
podman rm "$NAME" 2> >(grep -v "systemd connection" >&2) >/dev/null
echo "### image size: $((SIZE / 1000000)) MB on a Debian bookworm python3 base ($((BASE_SIZE / 1000000)) MB)"
