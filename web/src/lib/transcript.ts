/** What the interview page shows, built from the agent's text streams (the room contract, docs/web.md):
 * `interview.prompt` (each interviewer line as it starts: the current question, k of n, the end) and
 * `lk.transcription` (both sides' captions: the interviewer's voice in step with its audio, the candidate's speech
 * as the agent recognizes it). Pure, so it is tested without a room. */

/** `nudge` (the interviewer prompting a silent candidate to go on) leaves the question card as it is. */
export type PromptKind = "greeting" | "question" | "follow_up" | "repeat" | "nudge" | "closing";

const PROMPT_KINDS: readonly string[] = ["greeting", "question", "follow_up", "repeat", "nudge", "closing"];

/** One `interview.prompt` stream (as far as it has arrived): the interviewer's line and where it stands. */
export interface PromptMessage {
  text: string;
  attributes: Record<string, string>;
  /** false while a streamed line (a follow-up) is still arriving */
  complete: boolean;
}

/** One `lk.transcription` stream (as far as it has arrived). */
export interface CaptionMessage {
  segmentId: string;
  text: string;
  attributes: Record<string, string>;
  /** sent by the agent participant for its own voice (an interviewer line); otherwise a candidate caption */
  fromAgent: boolean;
  /** true once the stream is closed */
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

/** An interviewer line starts: the question card (k of n), the total and the end follow it. No caption line comes
 * from it: the interviewer's captions arrive on `lk.transcription`, in step with the voice. */
export function applyPrompt(state: TranscriptState, prompt: PromptMessage): TranscriptState {
  const kind = prompt.attributes["interview.kind"] ?? "";
  if (!PROMPT_KINDS.includes(kind)) return state;
  const total = numberOf(prompt.attributes["interview.total"]) ?? state.total;
  let question = state.question;
  if (kind === "question" || kind === "follow_up" || kind === "repeat") {
    question = {
      text: prompt.text,
      questionId: numberOf(prompt.attributes["interview.question_id"]),
      index: numberOf(prompt.attributes["interview.index"]),
      total,
      followUp: kind === "follow_up",
    };
  }
  return { ...state, question, total, ended: state.ended || (kind === "closing" && prompt.complete) };
}

/** A caption arrives or grows. The interviewer's (its voice, streamed as it is spoken) is final when its stream
 * closes; the candidate's is final when the agent says so (`lk.transcription_final`). A segment's later versions
 * replace it in place (interim → final). */
export function applyCaption(state: TranscriptState, caption: CaptionMessage): TranscriptState {
  const saidFinal = caption.attributes["lk.transcription_final"] === "true";
  const line: Line = {
    segmentId: caption.segmentId,
    speaker: caption.fromAgent ? "interviewer" : "candidate",
    text: caption.text,
    final: caption.fromAgent ? saidFinal || caption.complete : saidFinal,
    questionId: numberOf(caption.attributes["interview.question_id"]),
  };
  const existing = state.lines.findIndex((l) => l.segmentId === caption.segmentId);
  const lines =
    existing >= 0
      ? state.lines.map((l, i) => (i === existing ? line : l))
      : [...state.lines, line].slice(-MAX_LINES);
  return { ...state, lines };
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
  const known = new Set(state.lines.map((line) => line.text.trim()));
  const earlier: Line[] = stored
    .filter((segment) => !known.has(segment.text.trim()))
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
  return value === "initializing" ||
    value === "listening" ||
    value === "thinking" ||
    value === "speaking" ||
    value === "idle"
    ? value
    : null;
}

/** Elapsed time as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const whole = Math.max(Math.floor(seconds), 0);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
