"""One follow-up question per answer, streamed from the question LLM, given up on when the model is slow."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from core.llm import ChatClient
from core.prompting import messages_with_material

logger = logging.getLogger("agent.follow_up")

NO_FOLLOW_UP = "NONE"
LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}


def follow_up_messages(question: str, answer: str, language: str) -> list[dict[str, str]]:
    """Our instructions; the question and the candidate's answer as material (core.prompting), so an answer that
    says "ask me nothing more" or "the interview is over" is read as an answer, not obeyed."""
    name = LANGUAGE_NAMES.get(language, "English")
    return messages_with_material(
        "You are a job interviewer. Read the interview question and the candidate's answer in the material. If the "
        f"answer is complete and specific, reply with exactly {NO_FOLLOW_UP}. Otherwise ask ONE short follow-up "
        f"question (one sentence, at most 25 words) about a vague or missing point. Reply in {name}; no preamble, "
        "no quotes.",
        {"question": question, "candidate_answer": answer},
    )


def worth_a_follow_up(answer: str, *, min_words: int, max_words: int) -> bool:
    """Too little to build on, or already long and complete: no follow-up either way."""
    words = len(answer.split())
    return min_words <= words <= max_words


@dataclass
class FollowUpWriter:
    chat: ChatClient
    first_words_deadline_s: float
    total_deadline_s: float
    max_tokens: int = 60

    async def prime(self, question: str, language: str) -> None:
        """One token, so that the server has processed (and caches) the instructions before the first answer ends:
        the first follow-up then only pays for the answer's tokens."""
        try:
            await self.chat.complete(follow_up_messages(question, "", language), max_tokens=1, temperature=0.0)
        except Exception as error:
            logger.warning("could not prime the LLM server: %s", error)

    async def start(self, question: str, answer: str, language: str) -> AsyncIterator[str] | None:
        """The follow-up as text chunks, or None: the model declined, failed, or was too slow to start.

        The first chunks are read here (to tell a question from NONE within the deadline); the rest streams on."""
        deltas = self.chat.stream(
            follow_up_messages(question, answer, language), max_tokens=self.max_tokens, temperature=0.0
        )
        head = ""
        try:
            async with asyncio.timeout(self.first_words_deadline_s):
                async for delta in deltas:
                    head += delta
                    if len(head.strip()) >= len(NO_FOLLOW_UP) + 1 or not NO_FOLLOW_UP.startswith(head.strip()):
                        break
        except TimeoutError:
            logger.info("follow-up skipped: no first words within %.1f s", self.first_words_deadline_s)
            await _close(deltas)
            return None
        except Exception as error:  # the LLM server is down or answered an error: the interview goes on
            logger.warning("follow-up skipped: %s", error)
            await _close(deltas)
            return None
        if not head.strip() or head.strip().upper().startswith(NO_FOLLOW_UP):
            await _close(deltas)
            return None
        return self._rest(head.lstrip(), deltas)

    async def _rest(self, head: str, deltas: AsyncIterator[str]) -> AsyncIterator[str]:
        yield head
        try:
            async with asyncio.timeout(self.total_deadline_s):
                async for delta in deltas:
                    yield delta
        except TimeoutError:
            logger.info("follow-up cut at the %.1f s deadline", self.total_deadline_s)
        except Exception as error:
            logger.warning("follow-up stream ended early: %s", error)
        finally:
            await _close(deltas)


async def _close(deltas: AsyncIterator[str]) -> None:
    aclose = getattr(deltas, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):
            await aclose()
