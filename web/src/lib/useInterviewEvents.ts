/** Calls `onEvent` for each live event of an interview (SSE from /interviews/{id}/events).
 *
 * EventSource cannot send headers, and a bearer token in a URL lands in access logs, so each connection opens with
 * a one-minute ticket for this interview. The browser's own reconnect would reuse an expired ticket, so after an
 * error the hook asks for a new ticket itself, backing off; when the server ends the stream on purpose
 * (`stream.closed`: too many open views, access withdrawn) it stops. */
import { useEffect, useRef } from "react";
import { api } from "./api";

const EVENT_TYPES = ["transcript.stored", "evaluation.stored", "status.changed", "plan.ready", "report.ready"];
const MAX_BACKOFF_MS = 30_000;
/** Passed to `onEvent` when a stream opens again after a gap: events may have been missed, so reload. */
export const RECONNECTED = "reconnected";

export function useInterviewEvents(interviewId: number, onEvent: (type: string) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let backoffMs = 1000;
    let openedBefore = false;

    const reconnectLater = () => {
      if (stopped) return;
      retry = setTimeout(connect, backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    };

    async function connect(): Promise<void> {
      let ticket: string;
      try {
        ({ ticket } = await api.post<{ ticket: string }>(`/interviews/${interviewId}/events/ticket`));
      } catch {
        reconnectLater();
        return;
      }
      if (stopped) return;
      source = new EventSource(`/interviews/${interviewId}/events?ticket=${encodeURIComponent(ticket)}`);
      source.addEventListener("open", () => {
        backoffMs = 1000;
        if (openedBefore) handler.current(RECONNECTED);
        openedBefore = true;
      });
      const listener = (event: MessageEvent) => handler.current(event.type);
      EVENT_TYPES.forEach((type) => source?.addEventListener(type, listener));
      source.addEventListener("stream.closed", () => {
        stopped = true;
        source?.close();
      });
      source.onerror = () => {
        source?.close();
        reconnectLater();
      };
    }

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [interviewId]);
}
