"""Serves the built web app (web/dist) with a single-page-app fallback to index.html.

The API's paths are unprefixed (the seed's contract: /interviews, /questions, ...), so the web app's own
client-side routes live under /app/ and never collide with them.
"""

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles


def mount_web_app(app: FastAPI, dist_dir: Path) -> None:
    index = dist_dir / "index.html"
    if not index.is_file():
        # The API still works without a web build (e.g. API-only deployments); say so at the root.
        @app.get("/", include_in_schema=False)
        async def no_web_build() -> dict[str, str]:
            return {"detail": f"web app not built: run `make up` or `npm --prefix web run build` ({index})"}

        return

    app.mount("/assets", StaticFiles(directory=dist_dir / "assets"), name="assets")

    root = dist_dir.resolve()

    # Synchronous on purpose: FastAPI runs it in its thread pool, so the file-system checks never block the loop.
    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:
        candidate = (root / path).resolve()
        if path and candidate.is_relative_to(root) and candidate.is_file():
            return FileResponse(candidate)
        if path.startswith(("api/", "assets/")):
            raise HTTPException(status_code=404, detail="Not Found")
        return FileResponse(index)
