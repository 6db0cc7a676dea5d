import { describe, expect, it } from "vitest";
import { agentStateOf, applyMessage, clock, emptyTranscript, type TranscriptMessage, withHistory } from "./transcript";

function message(segmentId: string, text: string, attributes: Record<string, string>, complete = true) {
  return { segmentId, text, attributes, senderIdentity: "agent", complete } satisfies TranscriptMessage;
}

describe("applyMessage", () => {
  it("shows a question with its number out of the total", () => {
    const state = applyMessage(
      emptyTranscript,
      message("AG_1", "Tell me about a project.", {
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
    expect(state.lines).toEqual([
      { segmentId: "AG_1", speaker: "interviewer", text: "Tell me about a project.", final: true, questionId: 41 },
    ]);
  });

  it("replaces an interim caption with its final version instead of adding a line", () => {
    const caption = { "interview.kind": "caption", "interview.question_id": "7" };
    let state = applyMessage(emptyTranscript, message("SG_a", "I built", { ...caption, "lk.transcription_final": "false" }));
    state = applyMessage(state, message("SG_a", "I built a cache", { ...caption, "lk.transcription_final": "true" }));
    expect(state.lines).toEqual([
      { segmentId: "SG_a", speaker: "candidate", text: "I built a cache", final: true, questionId: 7 },
    ]);
    expect(state.question).toBeNull();
  });

  it("keeps the greeting out of the question box and ends on the closing", () => {
    let state = applyMessage(emptyTranscript, message("AG_g", "Hello", { "interview.kind": "greeting", "interview.total": "3" }));
    expect(state.question).toBeNull();
    expect(state.total).toBe(3);
    state = applyMessage(state, message("AG_c", "Thank you", { "interview.kind": "closing" }, false));
    expect(state.ended).toBe(false);
    state = applyMessage(state, message("AG_c", "Thank you", { "interview.kind": "closing" }, true));
    expect(state.ended).toBe(true);
  });

  it("marks a streamed follow-up as a follow-up of the same question number", () => {
    const state = applyMessage(
      emptyTranscript,
      message("AG_f", "Why", { "interview.kind": "follow_up", "interview.index": "1", "interview.total": "2" }, false),
    );
    expect(state.question?.followUp).toBe(true);
    expect(state.question?.index).toBe(1);
    expect(state.lines[0].final).toBe(false);
  });
});

describe("withHistory", () => {
  it("puts stored segments before live lines, once, and takes the last question asked", () => {
    const live = applyMessage(
      emptyTranscript,
      message("SG_1", "and then I measured it", { "interview.kind": "caption", "lk.transcription_final": "true" }),
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
});

describe("agentStateOf and clock", () => {
  it("reads livekit-agents' state attribute and ignores anything else", () => {
    expect(agentStateOf({ "lk.agent.state": "thinking" })).toBe("thinking");
    expect(agentStateOf({ "lk.agent.state": "dancing" })).toBeNull();
    expect(agentStateOf({})).toBeNull();
  });

  it("formats elapsed time", () => {
    expect(clock(0)).toBe("0:00");
    expect(clock(75.9)).toBe("1:15");
    expect(clock(3725)).toBe("1:02:05");
  });
});
