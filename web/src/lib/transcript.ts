/** What the interview page shows, built from the agent's messages on `lk.transcription` (agent/room_output.py):
 * the current question (k of n), both sides' captions, and whether the interview has ended. Pure, so it is tested
 * without a room. */

export type MessageKind = "greeting" | "question" | "follow_up" | "repeat" | "closing" | "caption";

export interface TranscriptMessage {
  segmentId: string;
  text: string;
  attributes: Record<string, string>;
  senderIdentity: string;
  /** false while a streamed message (a follow-up, an interim caption) is still arriving */
  complete: boolean;
}

export interface Line {
  segmentId: string;
  speaker: "interviewer" | "candidate";
  text: string;
  final: boolean;
  /** the question this line belongs to (the agent's attribution), when known */
  questionId: number | null;
}

export interface CurrentQuestion {
  text: string;
  questionId: number | null;
  index: number | null;
  total: number | null;
  followUp: boolean;
}

export interface TranscriptState {
  question: CurrentQuestion | null;
  total: number | null;
  lines: Line[];
  ended: boolean;
}

export const emptyTranscript: TranscriptState = { question: null, total: null, lines: [], ended: false };

const MAX_LINES = 200;

function numberOf(value: string | undefined): number | null {
  const parsed = value ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

export function applyMessage(state: TranscriptState, message: TranscriptMessage): TranscriptState {
  const kind = (message.attributes["interview.kind"] ?? "caption") as MessageKind;
  const speaker: Line["speaker"] = kind === "caption" ? "candidate" : "interviewer";
  const final = kind === "caption" ? message.attributes["lk.transcription_final"] === "true" : message.complete;
  const questionId = numberOf(message.attributes["interview.question_id"]);
  const line: Line = { segmentId: message.segmentId, speaker, text: message.text, final, questionId };
  const existing = state.lines.findIndex((l) => l.segmentId === message.segmentId);
  // A caption segment is replaced by its later versions (interim → final); a repeat is shown again as a new line.
  const lines =
    existing >= 0
      ? state.lines.map((l, i) => (i === existing ? line : l))
      : [...state.lines, line].slice(-MAX_LINES);
  const total = numberOf(message.attributes["interview.total"]) ?? state.total;
  let question = state.question;
  if (kind === "question" || kind === "follow_up" || kind === "repeat") {
    question = {
      text: message.text,
      questionId,
      index: numberOf(message.attributes["interview.index"]),
      total,
      followUp: kind === "follow_up",
    };
  }
  return { question, total, lines, ended: state.ended || (kind === "closing" && message.complete) };
}

/** A segment stored by the API (GET /interviews/{id}/transcripts). */
export interface StoredSegment {
  id: number;
  speaker: "AI" | "User" | string;
  text: string;
  question_id: number | null;
}

/** What was said before this page joined (an observer arriving mid-interview): the stored segments go before the
 * live lines, and the last question asked becomes the current one unless a live message already set it. */
export function withHistory(state: TranscriptState, stored: StoredSegment[]): TranscriptState {
  const known = new Set(state.lines.map((line) => line.text));
  const earlier: Line[] = stored
    .filter((segment) => !known.has(segment.text))
    .map((segment) => ({
      segmentId: `stored-${segment.id}`,
      speaker: segment.speaker === "AI" ? "interviewer" : "candidate",
      text: segment.text,
      final: true,
      questionId: segment.question_id,
    }));
  const lastAsked = [...stored].reverse().find((segment) => segment.speaker === "AI" && segment.question_id !== null);
  const question =
    state.question ??
    (lastAsked
      ? { text: lastAsked.text, questionId: lastAsked.question_id, index: null, total: state.total, followUp: false }
      : null);
  return { ...state, question, lines: [...earlier, ...state.lines].slice(-MAX_LINES) };
}

export type AgentState = "initializing" | "listening" | "thinking" | "speaking" | "idle";

export function agentStateOf(attributes: Record<string, string>): AgentState | null {
  const value = attributes["lk.agent.state"];
  return value === "listening" || value === "thinking" || value === "speaking" || value === "idle" ? value : null;
}

/** Elapsed time as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const whole = Math.max(Math.floor(seconds), 0);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
