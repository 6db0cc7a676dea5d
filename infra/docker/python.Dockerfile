# Python services (api, agent, workers, the CPU LLM server): one image, compose picks the command.
# The same install as `make up`: constraints.txt-pinned requirements, llama.cpp compiled without -march=native.
# GPU build: --build-arg BASE_IMAGE=nvidia/cuda:12.4.1-devel-ubuntu22.04 --build-arg CMAKE_ARGS="-DGGML_CUDA=on"
ARG BASE_IMAGE=python:3.11.10-slim-bookworm

FROM ${BASE_IMAGE} AS build
ARG CMAKE_ARGS="-DGGML_NATIVE=OFF"
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake git pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY core core
COPY api api
COPY agent agent
COPY workers workers
COPY infra infra
COPY bench bench
RUN CMAKE_ARGS="${CMAKE_ARGS}" pip wheel --wheel-dir /wheels -c constraints.txt .

FROM ${BASE_IMAGE} AS runtime
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 MODELS_DIR=/models
# libgomp: llama.cpp's OpenMP runtime; opencv-data: the Haar cascades DeepFace's face detector reads; espeak-ng: the
# offline Korean voice.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 opencv-data espeak-ng \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels mockinterview && rm -rf /wheels
WORKDIR /app
COPY alembic.ini livekit.yaml ./
COPY infra/migrations infra/migrations
RUN useradd --create-home --uid 10001 app && mkdir -p /models && chown app /models
USER app
EXPOSE 8000 8081 8090
CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]
