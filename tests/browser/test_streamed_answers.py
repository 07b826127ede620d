"""With an LLM (the fake OpenAI-compatible server, writing slowly), the tutor's explanation grows in the
chat while it is written (`response.delta` messages), then the checked answer replaces it."""

from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.console_browser import screenshot, student_signed_in
from tests.cloud_process import RunningCloud, running_cloud
from tests.llm.fake_openai import FakeOpenAi, Reply, fake_openai_server

pytestmark = pytest.mark.timeout(300)

EXPLANATION = (
    "A generator is a function that hands out its values one at a time with yield, pausing between"
    " them. It keeps its place and its local variables while paused, so it can walk a huge or endless"
    " sequence without ever holding it all in memory."
)
ANSWER = {
    "explanation": EXPLANATION,
    "examples": [
        {
            "code": "def count_up(n):\n    for i in range(n):\n        yield i\n\nprint(list(count_up(3)))\n",
            "output": "[0, 1, 2]\n",
        }
    ],
    "diagram": None,
}
QUESTION = "What is a generator? Explain generators in Python"
#: every text the answer's streamed paragraph shows, in order, recorded in the page as it changes
STREAM_RECORDER = """
window.__streamed = [];
new MutationObserver(() => {
  for (const shown of document.querySelectorAll(".tutor-bubble .streaming")) {
    if (window.__streamed[window.__streamed.length - 1] !== shown.textContent) {
      window.__streamed.push(shown.textContent);
    }
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAi]:
    with fake_openai_server() as server:
        # about 40 pieces 0.1 s apart: the concepts agent posts what it has every 100 ms
        server.reset(default=Reply.answer(ANSWER, chunk_chars=6, chunk_delay_seconds=0.1))
        yield server


@pytest.fixture(scope="module")
def llm_cloud(llm: FakeOpenAi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    data_dir = tmp_path_factory.mktemp("learnflow-browser-llm")
    with running_cloud(
        data_dir, OPENAI_API_KEY="sk-test-not-a-real-key", OPENAI_BASE_URL=llm.base_url
    ) as started:
        yield started


def test_the_explanation_grows_in_the_chat_as_it_is_written_then_the_checked_answer_replaces_it(
    new_page: Callable[..., Page], llm_cloud: RunningCloud
) -> None:
    with httpx.Client(base_url=llm_cloud.rest_url, timeout=30) as api:
        _student, page = student_signed_in(new_page, llm_cloud.rest_url, api)
    page.context.add_init_script(STREAM_RECORDER)
    page.reload()
    expect(page.locator(".connection")).to_have_text("Live")

    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Ask").click()
    streaming = page.locator(".tutor-bubble .streaming")
    expect(streaming).to_be_visible()
    screenshot(page, "tutor-streaming")

    answer = page.locator(".tutor-bubble[data-state='answered']")
    expect(answer).to_contain_text(EXPLANATION)
    expect(answer.get_by_role("button", name="Run example 1")).to_be_visible()
    expect(streaming).to_have_count(0)
    screenshot(page, "tutor-streamed")

    shown: list[str] = page.evaluate("window.__streamed")
    assert len(shown) >= 2, f"the explanation did not grow in the page: {shown}"
    assert all(EXPLANATION.startswith(text) for text in shown), "only pieces of the explanation, in order"
    assert [len(text) for text in shown] == sorted({len(text) for text in shown}), "each longer than the last"
    assert len(shown[0]) < len(EXPLANATION), "text was visible before the whole explanation was written"
