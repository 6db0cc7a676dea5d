"""The FastAPI application factory; `uvicorn api.main:app` serves it."""

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis
from dramatiq.brokers.redis import RedisBroker
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.body_limit import BodySizeLimit
from api.errors import install_error_handlers
from api.routes import (
    account,
    auth,
    evaluations,
    events,
    interviews,
    livekit_webhook,
    organisations,
    postings,
    privacy,
    questions,
    transcripts,
    users,
)
from api.routes import health as routes_health
from api.services.live_streams import StreamHub
from api.services.livekit_rooms import AgentDispatcher
from api.settings import ApiSettings, get_api_settings
from api.web import mount_web_app
from core.embeddings import get_embedder


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or get_api_settings()
    logging.basicConfig(level=settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load MiniLM in the background so the first request that embeds text does not wait for the weights.
        threading.Thread(target=app.state.embedder.embed_one, args=("warm-up",), daemon=True).start()
        yield
        await app.state.stream_hub.aclose()
        await app.state.dispatcher.aclose()
        app.state.broker.close()
        app.state.redis.close()

    app = FastAPI(title="Mock interview API", version="0.1.0", lifespan=lifespan)
    app.state.redis = redis.Redis.from_url(settings.redis_url)
    # Only enqueues by name: the API imports no actor and loads no LLM or vision model.
    app.state.broker = RedisBroker(url=settings.redis_url)
    # MiniLM for question retrieval; loaded on first use, once per process.
    app.state.embedder = get_embedder(settings.models_dir)
    app.state.dispatcher = AgentDispatcher(settings)
    app.state.stream_hub = StreamHub(settings.redis_url, settings.max_streams_per_user)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    for router in (
        routes_health.router,
        auth.router,
        postings.router,
        questions.router,
        interviews.router,
        evaluations.router,
        events.router,
        transcripts.router,
        livekit_webhook.router,
        account.router,
        privacy.router,
        users.router,
        organisations.router,
    ):
        app.include_router(router)
    # The web app's catch-all route goes last so that it never shadows an API path.
    mount_web_app(app, settings.web_dist_dir)
    return app


app = create_app()
