import { useEffect, useRef, useState } from "react";
import { SpeakerIcon } from "../components/InterviewerTile";
import { useI18n, type StringKey } from "../lib/i18n";
import { navigate } from "../lib/router";

/** Which sentence explains a getUserMedia failure. */
export function mediaErrorKey(error: unknown): StringKey {
  const name = (error as { name?: string } | null)?.name;
  return name === "NotFoundError" || name === "OverconstrainedError" ? "noDevices" : "cameraDenied";
}

/** A one-second, two-tone chime (E5 then A5, soft sine notes with a short attack and a gentle fade), made with
 * WebAudio oscillators: no audio file. Resolves when the second note has ended. */
export async function playChime(): Promise<void> {
  const context = new AudioContext();
  try {
    await context.resume();
    const out = context.createGain();
    out.gain.value = 0.25;
    out.connect(context.destination);
    const start = context.currentTime + 0.05;
    const notes: [frequency: number, offset: number, length: number][] = [
      [659.25, 0, 0.5],
      [880, 0.4, 0.6],
    ];
    const ended = notes.map(([frequency, offset, length]) => {
      const oscillator = context.createOscillator();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      const envelope = context.createGain();
      const at = start + offset;
      envelope.gain.setValueAtTime(0.0001, at);
      envelope.gain.exponentialRampToValueAtTime(1, at + 0.02);
      envelope.gain.exponentialRampToValueAtTime(0.0001, at + length);
      oscillator.connect(envelope).connect(out);
      oscillator.start(at);
      oscillator.stop(at + length);
      return new Promise<void>((resolve) => (oscillator.onended = () => resolve()));
    });
    await Promise.all(ended);
  } finally {
    void context.close();
  }
}

/** "Test your speakers": plays the chime, then asks whether it was heard. `data-played` turns "true" on the button
 * once the chime has played to its end (for browser tests). */
function SpeakerTest() {
  const { t } = useI18n();
  const [playing, setPlaying] = useState(false);
  const [played, setPlayed] = useState(false);
  const [heard, setHeard] = useState(false);

  async function play() {
    setPlaying(true);
    setHeard(false);
    try {
      await playChime();
      setPlayed(true);
    } catch (caught) {
      console.warn("the speaker test could not play", caught); // the button stays, to try again
    } finally {
      setPlaying(false);
    }
  }

  return (
    <div className="speaker-test">
      <button
        type="button"
        className="secondary"
        onClick={() => void play()}
        disabled={playing}
        data-testid="speaker-test"
        data-played={played ? "true" : "false"}
      >
        <SpeakerIcon muted={false} /> {played ? t("playAgain") : t("testSpeakers")}
      </button>
      {played &&
        !playing &&
        (heard ? (
          <p className="small" role="status">
            ✓ {t("speakersOk")}
          </p>
        ) : (
          <div role="status" className="small">
            <p>{t("didYouHear")}</p>
            <button type="button" className="secondary" onClick={() => setHeard(true)}>
              {t("heardIt")}
            </button>
          </div>
        ))}
    </div>
  );
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
      <SpeakerTest />
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
