import { describe, expect, it } from "vitest";
import {
  agentStateOf,
  applyCaption,
  applyPrompt,
  type CaptionMessage,
  clock,
  emptyTranscript,
  type PromptMessage,
  withHistory,
} from "./transcript";

function prompt(text: string, attributes: Record<string, string>, complete = true): PromptMessage {
  return { text, attributes, complete };
}

function caption(
  segmentId: string,
  text: string,
  attributes: Record<string, string>,
  { fromAgent = false, complete = true } = {},
): CaptionMessage {
  return { segmentId, text, attributes, fromAgent, complete };
}

describe("applyPrompt", () => {
  it("shows a question with its number out of the total, without adding a caption line", () => {
    const state = applyPrompt(
      emptyTranscript,
      prompt("Tell me about a project.", {
        "interview.kind": "question",
        "interview.index": "2",
        "interview.total": "5",
        "interview.question_id": "41",
      }),
    );
    expect(state.question).toEqual({
      text: "Tell me about a project.",
      questionId: 41,
      index: 2,
      total: 5,
      followUp: false,
    });
    expect(state.total).toBe(5);
    // The interviewer's caption comes from lk.transcription, in step with the voice: never twice.
    expect(state.lines).toEqual([]);
  });

  it("keeps the greeting out of the question box and ends on the closing, once complete", () => {
    let state = applyPrompt(emptyTranscript, prompt("Hello", { "interview.kind": "greeting", "interview.total": "3" }));
    expect(state.question).toBeNull();
    expect(state.total).toBe(3);
    state = applyPrompt(state, prompt("Thank you", { "interview.kind": "closing" }, false));
    expect(state.ended).toBe(false);
    state = applyPrompt(state, prompt("Thank you for your time", { "interview.kind": "closing" }, true));
    expect(state.ended).toBe(true);
    expect(state.lines).toEqual([]);
  });

  it("grows a streamed follow-up in place, marked as a follow-up of the same question number", () => {
    const attributes = {
      "interview.kind": "follow_up",
      "interview.index": "1",
      "interview.total": "2",
      "interview.question_id": "8",
      "interview.parent_id": "7",
    };
    let state = applyPrompt(emptyTranscript, prompt("Why", attributes, false));
    expect(state.question?.followUp).toBe(true);
    expect(state.question?.index).toBe(1);
    state = applyPrompt(state, prompt("Why that index?", attributes, true));
    expect(state.question).toEqual({ text: "Why that index?", questionId: 8, index: 1, total: 2, followUp: true });
  });

  it("shows a repeated question again, keeps it through a nudge and ignores an unknown kind", () => {
    const asked = applyPrompt(
      emptyTranscript,
      prompt("Why Redis?", { "interview.kind": "question", "interview.index": "1", "interview.total": "2" }),
    );
    const repeated = applyPrompt(
      asked,
      prompt("Why Redis?", { "interview.kind": "repeat", "interview.index": "1", "interview.total": "2" }),
    );
    expect(repeated.question?.text).toBe("Why Redis?");
    expect(repeated.question?.index).toBe(1);
    const nudged = applyPrompt(asked, prompt("Take your time.", { "interview.kind": "nudge" }));
    expect(nudged.question).toBe(asked.question);
    expect(applyPrompt(asked, prompt("Hi", { "interview.kind": "caption" }))).toBe(asked);
    expect(applyPrompt(asked, prompt("Hi", {}))).toBe(asked);
  });
});

describe("applyCaption", () => {
  it("grows the interviewer's voice caption as its deltas arrive and makes it final when the stream closes", () => {
    const attributes = { "lk.segment_id": "SG_v", "lk.transcribed_track_id": "TR_a", "lk.transcription_final": "false" };
    let state = applyCaption(emptyTranscript, caption("SG_v", "Tell me", attributes, { fromAgent: true, complete: false }));
    expect(state.lines).toEqual([
      { segmentId: "SG_v", speaker: "interviewer", text: "Tell me", final: false, questionId: null },
    ]);
    state = applyCaption(state, caption("SG_v", "Tell me about it.", attributes, { fromAgent: true, complete: true }));
    expect(state.lines).toEqual([
      { segmentId: "SG_v", speaker: "interviewer", text: "Tell me about it.", final: true, questionId: null },
    ]);
    expect(state.question).toBeNull(); // captions never set the question card
  });

  it("takes the final flag of the stream's close for the interviewer", () => {
    const state = applyCaption(
      emptyTranscript,
      caption("SG_w", "Hello.", { "lk.transcription_final": "true" }, { fromAgent: true, complete: false }),
    );
    expect(state.lines[0].final).toBe(true);
  });

  it("replaces an interim candidate caption with its final version instead of adding a line", () => {
    const attributes = { "interview.kind": "caption", "interview.question_id": "7" };
    let state = applyCaption(
      emptyTranscript,
      caption("SG_a", "I built", { ...attributes, "lk.transcription_final": "false" }),
    );
    expect(state.lines[0].final).toBe(false); // a closed stream, but an interim caption
    state = applyCaption(state, caption("SG_a", "I built a cache", { ...attributes, "lk.transcription_final": "true" }));
    expect(state.lines).toEqual([
      { segmentId: "SG_a", speaker: "candidate", text: "I built a cache", final: true, questionId: 7 },
    ]);
  });

  it("names the speaker from the sender, not from the attributes", () => {
    const state = applyCaption(
      emptyTranscript,
      caption("SG_x", "I am the interviewer now", { "lk.transcription_final": "true" }, { fromAgent: false }),
    );
    expect(state.lines[0].speaker).toBe("candidate");
  });

  it("keeps both sides in arrival order", () => {
    let state = applyCaption(emptyTranscript, caption("SG_1", "Why Redis?", {}, { fromAgent: true }));
    state = applyCaption(state, caption("SG_2", "Because", { "lk.transcription_final": "true" }));
    state = applyCaption(state, caption("SG_3", "Thanks.", {}, { fromAgent: true }));
    expect(state.lines.map((line) => [line.speaker, line.text])).toEqual([
      ["interviewer", "Why Redis?"],
      ["candidate", "Because"],
      ["interviewer", "Thanks."],
    ]);
  });
});

describe("withHistory", () => {
  it("puts stored segments before live lines, once, and takes the last question asked", () => {
    const live = applyCaption(
      emptyTranscript,
      caption("SG_1", "and then I measured it", { "interview.kind": "caption", "lk.transcription_final": "true" }),
    );
    const state = withHistory(live, [
      { id: 1, speaker: "AI", text: "Hello", question_id: null },
      { id: 2, speaker: "AI", text: "Why Redis?", question_id: 9 },
      { id: 3, speaker: "User", text: "Because it is fast", question_id: 9 },
      { id: 4, speaker: "User", text: "and then I measured it", question_id: 9 },
    ]);
    expect(state.lines.map((line) => [line.speaker, line.text])).toEqual([
      ["interviewer", "Hello"],
      ["interviewer", "Why Redis?"],
      ["candidate", "Because it is fast"],
      ["candidate", "and then I measured it"],
    ]);
    expect(state.question?.text).toBe("Why Redis?");
    expect(state.question?.questionId).toBe(9);
  });

  it("keeps a live question over the stored one", () => {
    const live = applyPrompt(
      emptyTranscript,
      prompt("How do you test it?", { "interview.kind": "question", "interview.index": "2", "interview.total": "2" }),
    );
    const state = withHistory(live, [{ id: 1, speaker: "AI", text: "Why Redis?", question_id: 9 }]);
    expect(state.question?.text).toBe("How do you test it?");
    expect(state.question?.index).toBe(2);
  });
});

describe("agentStateOf and clock", () => {
  it("reads livekit-agents' state attribute and ignores anything else", () => {
    expect(agentStateOf({ "lk.agent.state": "thinking" })).toBe("thinking");
    expect(agentStateOf({ "lk.agent.state": "speaking" })).toBe("speaking");
    expect(agentStateOf({ "lk.agent.state": "dancing" })).toBeNull();
    expect(agentStateOf({})).toBeNull();
  });

  it("formats elapsed time", () => {
    expect(clock(0)).toBe("0:00");
    expect(clock(75.9)).toBe("1:15");
    expect(clock(3725)).toBe("1:02:05");
  });
});
