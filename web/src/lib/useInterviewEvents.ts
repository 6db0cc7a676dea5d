/** Calls `onEvent` for each live event of an interview (SSE from /interviews/{id}/events). EventSource cannot send
 * headers, so the token goes in the query string; the browser reconnects by itself when the stream drops. */
import { useEffect, useRef } from "react";
import { storedToken } from "./api";

const EVENT_TYPES = ["transcript.stored", "evaluation.stored", "status.changed", "plan.ready", "report.ready"];

export function useInterviewEvents(interviewId: number, onEvent: (type: string) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    const source = new EventSource(`/interviews/${interviewId}/events?access_token=${encodeURIComponent(token)}`);
    const listener = (event: MessageEvent) => handler.current(event.type);
    EVENT_TYPES.forEach((type) => source.addEventListener(type, listener));
    return () => source.close();
  }, [interviewId]);
}
