import { useCallback, useEffect, useRef, useState } from "react";
import type { Participant, RemoteTrack } from "livekit-client";
import { Track } from "livekit-client";
import { Captions } from "../components/Captions";
import { InterviewerTile } from "../components/InterviewerTile";
import { LeaveButton } from "../components/LeaveButton";
import { AnswerScores } from "../components/ScoreBars";
import { api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import type { Evaluation } from "../lib/types";
import { RECONNECTED, useInterviewEvents } from "../lib/useInterviewEvents";
import { useInterviewRoom } from "../lib/useInterviewRoom";

/** A recruiter watches a live interview: hidden and subscribe-only (the token says so; the server enforces it), and
 * hears both sides: the candidate's audio here, the interviewer's voice in its tile. */
export function Observe({ interviewId }: { interviewId: number }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const [evaluations, setEvaluations] = useState<Evaluation[]>([]);
  const onRemoteTrack = useCallback((track: RemoteTrack, participant: Participant) => {
    if (participant.isAgent) return; // the interviewer's voice plays in its tile
    if (track.kind === Track.Kind.Video && video.current) track.attach(video.current);
    if (track.kind === Track.Kind.Audio && audio.current) track.attach(audio.current);
  }, []);
  const { transcript, connection, error, agentState, agentPresent, agentAudio, canPlayAudio, startAudio, leave } =
    useInterviewRoom({
      interviewId,
      role: "observer",
      onRemoteTrack,
    });

  const loadScores = useCallback(
    () => api.get<Evaluation[]>(`/interviews/${interviewId}/evaluations`).then(setEvaluations).catch(() => undefined),
    [interviewId],
  );
  useEffect(() => {
    void loadScores();
  }, [loadScores]);
  useInterviewEvents(interviewId, (type) => {
    if (type === "evaluation.stored" || type === RECONNECTED) void loadScores();
  });

  return (
    <div className="room">
      <header className="room-bar">
        <span className="muted">{t("observing")}</span>
        <LeaveButton leave={leave} />
      </header>
      {error && (
        <p role="alert" className="error card">
          {error}
        </p>
      )}
      {connection === "reconnecting" && <p className="banner warn">{t("reconnecting")}</p>}
      <main className="stage">
        <section>
          <video ref={video} className="candidate-video" autoPlay playsInline muted aria-label={t("candidate")} />
          <audio ref={audio} autoPlay data-testid="candidate-audio" />
          <p className="question-text small" data-testid="observed-question">
            {transcript.question?.text}
          </p>
          <h2>{t("scores")}</h2>
          <ul className="list" data-testid="observed-scores">
            {evaluations.map((evaluation) => (
              <li key={evaluation.id}>
                <div>
                  <p>{evaluation.question}</p>
                  {evaluation.status === "scored" ? (
                    <AnswerScores
                      technical={evaluation.technical_score}
                      communication={evaluation.communication_score}
                      depth={evaluation.depth_score}
                    />
                  ) : (
                    <p className="muted">{evaluation.status}</p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
        <aside className="side">
          <InterviewerTile
            track={agentAudio}
            state={agentState}
            present={agentPresent}
            canPlayAudio={canPlayAudio}
            startAudio={startAudio}
          />
          <Captions lines={transcript.lines} self={t("candidate")} />
        </aside>
      </main>
    </div>
  );
}
