# scim-sandbox: a mock SCIM 2.0 vendor sandbox, configured by environment variables.
#
#   docker build -t scim-sandbox .
#   docker run --rm -p 8000:8000 -e SCIM_SANDBOX_TOKEN=demo-token-123 scim-sandbox
#
# Classic builder syntax only (no BuildKit features), so it builds with DOCKER_BUILDKIT=0 too.
FROM python:3.11-slim

LABEL org.opencontainers.image.title="scim-sandbox" \
      org.opencontainers.image.description="A local SCIM 2.0 sandbox emulating real vendors' provisioning endpoints" \
      org.opencontainers.image.licenses="MIT"

# No .pyc files in the image or the volume, and log lines reach `docker logs` at once.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed, unprivileged uid, so that files it writes on a volume have a predictable owner.
# /data belongs to it before VOLUME, so a new named volume starts out writable by it.
RUN groupadd --system --gid 10001 sandbox \
    && useradd --system --uid 10001 --gid sandbox --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin sandbox \
    && mkdir /data \
    && chown sandbox:sandbox /data

WORKDIR /opt/scim-sandbox
COPY pyproject.toml README.md LICENSE ./
COPY sandbox ./sandbox
COPY vendors ./vendors
COPY seed ./seed
# The project is installed from the build context (not an index), so there is no version to pin
# here; its dependencies' ranges live in pyproject.toml. `--version` fails the build early if
# the console script is broken.
RUN pip install --no-cache-dir . \
    && scim-sandbox --version

# Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8000

# Defaults as documented in the README; the tokens are random (and printed) unless given.
# Durable mode: -e SCIM_SANDBOX_DATA=/data/sandbox.json with a volume on /data.
ENV SCIM_SANDBOX_JOURNAL_SIZE=1000 \
    SCIM_SANDBOX_SEED_USERS=0 \
    SCIM_SANDBOX_SEED=0

# slim has no curl: ask the health endpoint with the interpreter we already have.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/_sandbox/health', timeout=2)"]

# `serve` turns SIGTERM into a clean stop: the data file is compacted and closed.
STOPSIGNAL SIGTERM
CMD ["scim-sandbox", "serve", "--host", "0.0.0.0", "--port", "8000"]
