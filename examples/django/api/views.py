from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from supertokens_python.recipe.session.framework.django.asyncio import verify_session

from core import health, me, problem


@require_GET
async def health_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(health())


@require_GET
@verify_session()
async def me_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(me(request.supertokens))  # type: ignore[attr-defined]


def not_found_view(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse(problem("Not Found"), status=404)
