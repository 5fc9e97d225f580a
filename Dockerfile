# The mock suite as a container: every vendor on port 8000, the admin API, dashboard and explorer at /_mocks.
#   docker build -t mocks .            docker run --rm -p 8000:8000 mocks
# BASE is an argument so a check can build on a locally made base (make container-test builds on a Debian
# bookworm image made with debootstrap, since no registry is reachable there); any Python >= 3.11 image works.
ARG BASE=python:3.12-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/mocks/bin:$PATH

# Only what the wheel needs (see .dockerignore); the source is removed once installed. The `redis` extra (hiredis)
# lets the image run with MOCKS_STORE=redis://... (README: a shared store).
COPY pyproject.toml README.md /src/
COPY mocks /src/mocks
COPY specs /src/specs
COPY fixtures /src/fixtures
RUN python3 -m venv /opt/mocks \
    && pip install '/src[redis]' \
    && rm -rf /src /root/.cache \
    && find /opt/mocks -name '__pycache__' -prune -exec rm -rf {} + \
    && python3 -m compileall -q /opt/mocks/lib \
    && useradd --system --uid 10001 --user-group --home-dir /data --create-home --shell /usr/sbin/nologin mocks

# Listen on every interface inside the container; `--state /data/state.json` keeps worlds across restarts
# (mount a volume on /data). Every `mocks run` option has a MOCKS_* variable (README: Configuration).
ENV MOCKS_HOST=0.0.0.0 MOCKS_PORT=8000
USER 10001:10001
WORKDIR /data
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request as u; t = os.environ.get('MOCKS_ADMIN_TOKEN'); u.urlopen(u.Request('http://127.0.0.1:%s/_mocks/health' % os.environ.get('MOCKS_PORT', '8000'), headers={'Authorization': 'Bearer ' + t} if t else {}), timeout=2)"]
# exec form: `mocks` is PID 1 and gets SIGTERM itself (uvicorn stops gracefully; with --state the worlds are saved)
ENTRYPOINT ["mocks"]
CMD ["run"]
