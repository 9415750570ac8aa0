"""The FastAPI example as shipped, plus the session-only route (``bench_routes``).

Run from ``examples/fastapi`` as the example is: ``uvicorn bench_fastapi:app``, with this
folder on ``PYTHONPATH``.
"""

import main
from bench_routes import SESSION_ONLY_ROUTE, no_claim_validators
from fastapi import Depends, FastAPI
from starlette.middleware.cors import CORSMiddleware
from supertokens_python.recipe.session import SessionContainer
from supertokens_python.recipe.session.framework.fastapi import verify_session

from core import me

cors: object = main.app  # the example's FastAPI app, wrapped in CORSMiddleware
assert isinstance(cors, CORSMiddleware)
fastapi_app = cors.app
assert isinstance(fastapi_app, FastAPI)


@fastapi_app.get(SESSION_ONLY_ROUTE)
async def session_only(
    session: SessionContainer = Depends(
        verify_session(override_global_claim_validators=no_claim_validators)
    ),
) -> dict[str, object]:
    return me(session)


app = main.app
