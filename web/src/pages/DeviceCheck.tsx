import { useEffect, useRef, useState } from "react";
import { useI18n, type StringKey } from "../lib/i18n";
import { navigate } from "../lib/router";

/** Which sentence explains a getUserMedia failure. */
export function mediaErrorKey(error: unknown): StringKey {
  const name = (error as { name?: string } | null)?.name;
  return name === "NotFoundError" || name === "OverconstrainedError" ? "noDevices" : "cameraDenied";
}

export function DeviceCheck({ interviewId }: { interviewId: number }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<StringKey | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let context: AudioContext | null = null;
    let frame = 0;
    let stopped = false;
    navigator.mediaDevices
      .getUserMedia({ video: true, audio: true })
      .then((granted) => {
        if (stopped) return granted.getTracks().forEach((track) => track.stop());
        stream = granted;
        setError(null);
        if (video.current) video.current.srcObject = granted;
        context = new AudioContext();
        const analyser = context.createAnalyser();
        analyser.fftSize = 512;
        context.createMediaStreamSource(granted).connect(analyser);
        const samples = new Uint8Array(analyser.fftSize);
        const tick = () => {
          analyser.getByteTimeDomainData(samples);
          let peak = 0;
          for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128));
          setLevel(Math.min(peak / 64, 1));
          frame = requestAnimationFrame(tick);
        };
        tick();
      })
      .catch((caught: unknown) => setError(mediaErrorKey(caught)));
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
      void context?.close();
    };
  }, [attempt]);

  return (
    <section className="card narrow">
      <h1>{t("deviceCheck")}</h1>
      <p className="muted">{t("deviceHelp")}</p>
      {error ? (
        <>
          <p role="alert" className="error">
            {t(error)}
          </p>
          <button onClick={() => setAttempt(attempt + 1)}>↻</button>
        </>
      ) : (
        <>
          <video ref={video} className="preview" autoPlay muted playsInline aria-label="camera preview" />
          <label className="meter">
            {t("micLevel")}
            <meter min={0} max={1} value={level} data-testid="mic-level" />
          </label>
        </>
      )}
      <div className="actions">
        <button className="secondary" onClick={() => navigate("/")}>
          {t("back")}
        </button>
        <button disabled={error !== null} onClick={() => navigate(`/interviews/${interviewId}/room`)}>
          {t("enterRoom")}
        </button>
      </div>
    </section>
  );
}
