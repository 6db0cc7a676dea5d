import { useEffect, useRef, useState } from "react";
import { Track } from "livekit-client";
import { Captions } from "../components/Captions";
import { InterviewerTile } from "../components/InterviewerTile";
import { LeaveButton } from "../components/LeaveButton";
import { api, privacy } from "../lib/api";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import { clock } from "../lib/transcript";
import type { Interview } from "../lib/types";
import { useInterviewRoom } from "../lib/useInterviewRoom";

export function Room({ interviewId }: { interviewId: number }) {
  const { t } = useI18n();
  const {
    room,
    transcript,
    connection,
    error,
    agentState,
    agentPresent,
    agentAudio,
    canPlayAudio,
    startAudio,
    connectedAt,
    remoteIdentities,
    control,
    leave,
  } = useInterviewRoom({ interviewId, role: "candidate" });
  const selfView = useRef<HTMLVideoElement>(null);
  const [now, setNow] = useState(Date.now());
  const [sentAt, setSentAt] = useState(0);
  const [language, setLanguage] = useState<Interview["language"] | null>(null);
  // Expression analysis can be stopped at any moment; the agent stops sampling within seconds.
  const [consent, setConsent] = useState<"on" | "off" | "withdrawn">("off");

  // The interview's language: a Korean interview's voice is a basic synthetic one offline, and the page says so.
  useEffect(() => {
    api
      .get<Interview>(`/interviews/${interviewId}`)
      .then((interview) => {
        setLanguage(interview.language);
        setConsent(interview.emotion_consent ? "on" : "off");
      })
      .catch(() => setLanguage(null));
  }, [interviewId]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // The self view: the camera track once it is published (checked on each render, attached once; the clock
  // re-renders every second).
  useEffect(() => {
    const camera = room.current?.localParticipant.getTrackPublication(Track.Source.Camera)?.track;
    if (camera && selfView.current && !selfView.current.srcObject) camera.attach(selfView.current);
  });

  const canAnswer = connection === "connected" && transcript.question !== null && !transcript.ended;
  // Repeat also recovers a question this page never received (it arrived while reconnecting, say).
  const canRepeat = connection === "connected" && agentPresent && !transcript.ended;

  async function done() {
    if (!canAnswer || Date.now() - sentAt < 500) return; // one press, one answer
    setSentAt(Date.now());
    await control("done");
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void done();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  if (error) {
    return (
      <section className="card narrow">
        <p role="alert" className="error">
          {error === "camera" ? t("cameraDenied") : error}
        </p>
        <button onClick={() => navigate("/")}>{t("back")}</button>
      </section>
    );
  }

  const question = transcript.question;
  return (
    <div className="room" data-testid="room" data-remote-participants={remoteIdentities.join(" ")}>
      <header className="room-bar">
        <span className={`state ${agentState}`} aria-live="polite" data-testid="agent-state">
          {agentPresent ? t(`state_${agentState}`) : t("waitingForInterviewer")}
        </span>
        <span>
          {t("elapsed")} <time data-testid="elapsed">{clock(connectedAt ? (now - connectedAt) / 1000 : 0)}</time>
        </span>
        <LeaveButton leave={leave} />
      </header>
      {connection === "connecting" && <p className="banner">{t("connecting")}</p>}
      {connection === "reconnecting" && (
        <p className="banner warn" role="status">
          {t("reconnecting")}
        </p>
      )}
      {connection === "disconnected" && !transcript.ended && <p className="banner">{t("disconnected")}</p>}
      <main className="stage">
        <section
          className="question"
          aria-live="polite"
          data-testid="question"
          data-question-id={question?.questionId ?? undefined}
        >
          {question && (
            <p className="question-number" data-testid="question-number">
              {question.followUp ? `${t("followUp")} · ` : ""}
              {question.index && question.total ? t("questionOf", { k: question.index, n: question.total }) : ""}
            </p>
          )}
          <h1 className="question-text">{question?.text ?? (agentPresent ? "…" : t("waitingForInterviewer"))}</h1>
          {transcript.ended && (
            <div className="ended" role="status">
              <p>{t("ended")}</p>
              <button onClick={() => navigate(`/interviews/${interviewId}/report`)}>{t("seeReport")}</button>
            </div>
          )}
          {!transcript.ended && (
            <div className="actions">
              <button onClick={done} disabled={!canAnswer} aria-keyshortcuts="Control+Enter">
                {t("done")} <kbd>{t("doneShortcut")}</kbd>
              </button>
              <button className="secondary" onClick={() => control("repeat")} disabled={!canRepeat}>
                {t("repeat")}
              </button>
            </div>
          )}
        </section>
        <aside className="side">
          <InterviewerTile
            track={agentAudio}
            state={agentState}
            present={agentPresent}
            canPlayAudio={canPlayAudio}
            startAudio={startAudio}
          />
          {language === "ko" && (
            <p className="muted small voice-note" data-testid="voice-note">
              {t("koreanVoiceNote")}
            </p>
          )}
          <video ref={selfView} className="self-view" autoPlay muted playsInline aria-label={t("you")} />
          {consent === "on" && (
            <button
              className="secondary small"
              onClick={() => {
                if (!window.confirm(t("confirmWithdrawConsent"))) return;
                privacy
                  .withdrawConsent(interviewId)
                  .then(() => setConsent("withdrawn"))
                  .catch(() => undefined); // the button stays, so the candidate can try again
              }}
            >
              {t("withdrawConsent")}
            </button>
          )}
          {consent === "withdrawn" && (
            <p className="muted small" role="status">
              {t("consentWithdrawn")}
            </p>
          )}
          <Captions lines={transcript.lines} self={t("you")} />
        </aside>
      </main>
    </div>
  );
}
