"""The Django example's URLs, plus the session-only route (``bench_routes``)."""

from bench_routes import SESSION_ONLY_ROUTE, no_claim_validators
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from supertokens_python.recipe.session.framework.django.asyncio import verify_session

from core import me


@require_GET
@verify_session(override_global_claim_validators=no_claim_validators)
async def session_only(request: HttpRequest) -> JsonResponse:
    return JsonResponse(me(request.supertokens))  # type: ignore[attr-defined]


urlpatterns = [
    path("", include("project.urls")),
    path(SESSION_ONLY_ROUTE.lstrip("/"), session_only),
]
