"""The Flask example as shipped, plus the session-only route (``bench_routes``).

Run from ``examples/flask`` as the example is: ``flask --app bench_flask run``, with
this folder on ``PYTHONPATH``.
"""

from app import app
from bench_routes import SESSION_ONLY_ROUTE, no_claim_validators
from flask import g, jsonify
from flask.typing import ResponseReturnValue
from supertokens_python.recipe.session.framework.flask import verify_session

from core import me


@verify_session(override_global_claim_validators=no_claim_validators)
def session_only() -> ResponseReturnValue:
    return jsonify(me(g.supertokens))


app.add_url_rule(SESSION_ONLY_ROUTE, view_func=session_only)
