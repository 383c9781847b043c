"""The scripted OpenAI-compatible server the tests use.

It lives in the library (``assistant.evals.llm_stub``) because the draft eval
of ``nianbao eval`` plays the same adversarial model; the tests import it
from here under its old name.
"""

from assistant.evals.llm_stub import (  # noqa: F401
    MODEL_TOUCH,
    Adversary,
    ClaimAdversary,
    Hang,
    Injection,
    Raw,
    Reply,
    Responder,
    StubLLM,
    empty,
    figures_in,
    garbage,
    good,
    hang,
    request_kind,
)
