"""Counts failed sign-ins per account and per client address in Redis; too many in the window answer 429."""

from dataclasses import dataclass

import redis


@dataclass(frozen=True)
class LoginLimiter:
    client: redis.Redis
    window_s: int
    max_per_account: int
    max_per_client: int

    def _keys(self, account: str, client_address: str) -> tuple[str, str]:
        return f"login-fail:account:{account.strip().lower()}", f"login-fail:client:{client_address}"

    def retry_after_s(self, account: str, client_address: str) -> int | None:
        """Seconds to wait when either counter is at its limit, else None."""
        account_key, client_key = self._keys(account, client_address)
        account_failures, client_failures = self.client.mget(account_key, client_key)
        for key, failures, limit in (
            (account_key, account_failures, self.max_per_account),
            (client_key, client_failures, self.max_per_client),
        ):
            if failures is not None and int(failures) >= limit:
                return max(int(self.client.ttl(key)), 1)
        return None

    def record_failure(self, account: str, client_address: str) -> None:
        pipeline = self.client.pipeline()
        for key in self._keys(account, client_address):
            pipeline.incr(key)
            pipeline.expire(key, self.window_s, nx=True)
        pipeline.execute()

    def record_success(self, account: str, client_address: str) -> None:
        self.client.delete(self._keys(account, client_address)[0])
