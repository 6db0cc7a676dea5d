from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.readiness import check_all
from api.settings import ApiSettings, get_api_settings

router = APIRouter(tags=["health"])
SettingsDep = Annotated[ApiSettings, Depends(get_api_settings)]


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
async def ready(settings: SettingsDep) -> JSONResponse:
    checks = await check_all(settings)
    all_ok = all(value == "ok" for value in checks.values())
    return JSONResponse({"status": "ok" if all_ok else "degraded", **checks}, status_code=200 if all_ok else 503)
