"""The guide's second factor on Flask: run with ``flask --app app run --port 3001``."""

from flask import Flask, abort, g, jsonify
from flask.typing import ResponseReturnValue
from flask_cors import CORS
from supertokens_python import get_all_cors_headers, init
from supertokens_python.framework.flask import Middleware
from supertokens_python.recipe.session.framework.flask import verify_session
from werkzeug.exceptions import HTTPException

from core import Settings, health, me, problem, recipe_list

settings = Settings.from_env()
init(
    app_info=settings.app_info(),
    supertokens_config=settings.supertokens_config(),
    framework="flask",
    recipe_list=recipe_list(settings),
)

app = Flask(__name__)
Middleware(app)
CORS(
    app,
    origins=[settings.website_domain],
    supports_credentials=True,
    allow_headers=["Content-Type", *get_all_cors_headers()],
)


@app.get("/api/health")
def health_view() -> ResponseReturnValue:
    return jsonify(health())


@app.get("/api/me")
@verify_session()
def me_view() -> ResponseReturnValue:
    return jsonify(me(g.supertokens))


# Flask answers CORS preflights only for routes it knows; this makes /auth/* known.
@app.route("/<path:_path>")
def not_found(_path: str) -> ResponseReturnValue:
    abort(404)


@app.errorhandler(HTTPException)
def http_error_view(error: HTTPException) -> ResponseReturnValue:
    return jsonify(problem(error.name)), error.code or 500
