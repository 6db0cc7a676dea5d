"""Errors at the edge: field messages for bad input, a plain sentence (never a stack trace) for the rest."""

import logging

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, InvalidRequestError
from sqlalchemy.orm.exc import StaleDataError

logger = logging.getLogger(__name__)


def _field_messages(error: RequestValidationError) -> list[dict[str, object]]:
    return [
        {"loc": list(item.get("loc", ())), "msg": item.get("msg", "invalid value"), "type": item.get("type", "")}
        for item in error.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": _field_messages(error)}
        )

    @app.exception_handler(DataError)
    async def data_error(request: Request, error: DataError) -> JSONResponse:
        # Input the schema let through but PostgreSQL refused (a value out of range for its column, say).
        logger.warning("database refused a value on %s %s: %s", request.method, request.url.path, error.orig)
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            content={"detail": [{"loc": ["body"], "msg": "A value is not valid for storage.", "type": "value_error"}]},
        )

    @app.exception_handler(StaleDataError)
    async def concurrent_change(request: Request, error: StaleDataError) -> JSONResponse:
        return _changed_concurrently()

    @app.exception_handler(InvalidRequestError)
    async def vanished_row(request: Request, error: InvalidRequestError) -> JSONResponse:
        # Reloading a row that another request deleted after this one read it (found by schemathesis).
        if "Could not refresh instance" in str(error) or "deleted" in str(error):
            return _changed_concurrently()
        logger.exception("unexpected ORM error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "Internal error. It has been logged."})

    def _changed_concurrently() -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={"detail": "The resource was changed or deleted by another request. Reload and try again."},
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, error: DBAPIError) -> JSONResponse:
        logger.exception("database error on %s %s", request.method, request.url.path)
        return JSONResponse(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            content={"detail": "The database could not complete the request. Try again shortly."},
        )


def field_error(field: str, message: str) -> HTTPException:
    """A 422 shaped like FastAPI's own validation errors, for rules checked after parsing."""
    return HTTPException(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        detail=[{"loc": ["body", field], "msg": message, "type": "value_error"}],
    )
