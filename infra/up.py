"""`make up`: start every service, print one status line each and the URLs, stop everything on Ctrl-C."""

import signal
import sys
import time
from types import FrameType

from infra.config import StackConfig
from infra.process import ServiceFailed, tail
from infra.stack import Stack


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    config = StackConfig()
    stack = Stack(config)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    print("Starting the stack (Ctrl-C stops everything)…", flush=True)
    try:
        stack.start()
    except ServiceFailed as failure:
        print(f"\n✘ {failure}\nEverything that had started was stopped.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 130
    print("\nReady.")
    print(f"  web app   {config.api_url}/")
    print(f"  API       {config.api_url}/docs  (health: {config.api_url}/health, readiness: {config.api_url}/ready)")
    print(f"  LiveKit   {config.livekit_url}  (key {config.livekit_api_key})")
    print(f"  LLM       {config.llm_base_url}")
    print(f"  logs      {config.logs_dir}/", flush=True)
    try:
        while True:
            time.sleep(1)
            dead = stack.dead()
            if dead:
                for process in dead:
                    print(f"\n✘ {process.name} stopped unexpectedly; log {process.log_path}:\n{tail(process.log_path)}")
                print("Stopping everything.", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stack.stop()
        print("All services stopped.")


if __name__ == "__main__":
    sys.exit(main())
