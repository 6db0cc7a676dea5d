"""The FastAPI application factory; `uvicorn api.main:app` serves it."""

import logging

from fastapi import FastAPI

from api import routes_health
from api.settings import ApiSettings, get_api_settings
from api.web import mount_web_app


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or get_api_settings()
    logging.basicConfig(level=settings.log_level)
    app = FastAPI(title="Mock interview API", version="0.1.0")
    app.include_router(routes_health.router)
    # The web app's catch-all route goes last so that it never shadows an API path.
    mount_web_app(app, settings.web_dist_dir)
    return app


app = create_app()
