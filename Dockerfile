# agkg as a container: the CLI, entry point `agkg`. docker-compose.yml runs it as the
# `ingest` service (`agkg watch /data`) against the `neo4j` service.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
# The package folders are mapped into the `agkg` namespace by pyproject.toml, so a
# normal (non-editable) install of the repository is all it takes.
COPY pyproject.toml README.md ./
COPY cli ./cli
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
RUN pip install --no-cache-dir . \
    && rm -rf /src \
    && useradd --create-home --uid 10001 --user-group agkg

USER 10001:10001
WORKDIR /home/agkg

# `agkg watch` serves nothing to probe; it logs every run and exits non-zero on a
# fatal error, which `restart: on-failure` in docker-compose.yml handles.
HEALTHCHECK NONE

ENTRYPOINT ["agkg"]
CMD ["--help"]
