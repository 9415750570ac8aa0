"""The guide's second factor on FastAPI: run with
``uvicorn main:app --port 3001 --no-proxy-headers`` (the README says why)."""

from fastapi import Depends, FastAPI
from starlette.middleware.cors import CORSMiddleware
from supertokens_python import get_all_cors_headers, init
from supertokens_python.framework.fastapi import get_middleware
from supertokens_python.recipe.session import SessionContainer
from supertokens_python.recipe.session.framework.fastapi import verify_session

from core import Settings, health, me, recipe_list

settings = Settings.from_env()
init(
    app_info=settings.app_info(),
    supertokens_config=settings.supertokens_config(),
    framework="fastapi",
    recipe_list=recipe_list(settings),
)  # FastAPI's mode is "asgi" by default

app = FastAPI()
app.add_middleware(get_middleware())


@app.get("/api/health")
async def health_view() -> dict[str, str]:
    return health()


@app.get("/api/me")
async def me_view(
    session: SessionContainer = Depends(verify_session()),
) -> dict[str, object]:
    return me(session)


app = CORSMiddleware(
    app,
    allow_origins=[settings.website_domain],
    allow_credentials=True,
    allow_methods=["GET", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"],
    allow_headers=["Content-Type", *get_all_cors_headers()],
)
