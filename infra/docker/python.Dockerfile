# One image for the Python services (api, agent, workers, llm server); compose picks the command.
# First version: the deployment work makes it multi-stage and slimmer.
FROM python:3.11-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY core core
COPY api api
COPY agent agent
COPY workers workers
COPY infra infra
COPY alembic.ini livekit.yaml ./
RUN CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install -c constraints.txt .
RUN useradd --create-home --uid 10001 app
USER app
