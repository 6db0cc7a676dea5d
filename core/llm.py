"""Client for the OpenAI-compatible LLM server that every agent job shares (question generation, follow-ups)."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx


class LLMServerError(RuntimeError):
    pass


@dataclass
class ChatClient:
    base_url: str
    model: str
    api_key: str = "local"
    timeout_s: float = 60.0
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url.rstrip("/"),
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout_s,
            )
        return self._client

    def _body(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float, **extra: Any) -> dict:
        return {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            **extra,
        }

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int = 256,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        """The whole answer. With `json_schema`, the server constrains decoding to that schema."""
        extra: dict[str, Any] = {}
        if json_schema is not None:
            extra["response_format"] = {"type": "json_object", "schema": json_schema}
        response = await self._http().post(
            "/chat/completions", json=self._body(messages, max_tokens=max_tokens, temperature=temperature, **extra)
        )
        if response.status_code != 200:
            raise LLMServerError(f"LLM server answered {response.status_code}: {response.text[:300]}")
        return str(response.json()["choices"][0]["message"]["content"] or "")

    async def stream(
        self, messages: list[dict[str, str]], *, max_tokens: int = 256, temperature: float = 0.2
    ) -> AsyncIterator[str]:
        """Yield text deltas as the server produces them (server-sent events)."""
        body = self._body(messages, max_tokens=max_tokens, temperature=temperature, stream=True)
        async with self._http().stream("POST", "/chat/completions", json=body) as response:
            if response.status_code != 200:
                raise LLMServerError(f"LLM server answered {response.status_code}")
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                payload = line[len("data:") :].strip()
                if payload == "[DONE]":
                    return
                delta = json.loads(payload)["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
