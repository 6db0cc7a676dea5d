import { useEffect, useRef, useState } from "react";
import type { RemoteAudioTrack } from "livekit-client";
import { useI18n } from "../lib/i18n";
import type { AgentState } from "../lib/transcript";

const LEVEL_EVERY_MS = 200;
// The voice band the level is read from, split into five bars of about an octave or more each (Hz): a voice's
// energy is mostly low, so equal splits would leave the upper bars still.
const EDGES_HZ = [90, 250, 500, 1000, 2000, 5000];
const BARS = EDGES_HZ.length - 1;

/** Five bars that move with a voice: a WebAudio AnalyserNode on the track (getByteFrequencyData at each animation
 * frame, one bar per band of EDGES_HZ), and the average level of the voice band (90 Hz-5 kHz, 0-255) reported a
 * few times a second. The analyser only listens:
 * nothing is routed to the speakers from here (the <audio> element plays the voice). */
export function AudioVisualizer({
  track,
  onLevel,
}: {
  track: MediaStreamTrack | undefined;
  onLevel?: (level: number) => void;
}) {
  const bars = useRef<(HTMLSpanElement | null)[]>([]);
  const report = useRef(onLevel);
  report.current = onLevel;

  useEffect(() => {
    const setBars = (values: number[]) =>
      bars.current.forEach((bar, i) => {
        if (bar) bar.style.transform = `scaleY(${0.08 + 0.92 * Math.min((values[i] ?? 0) / 255, 1)})`;
      });
    if (!track) {
      setBars([]);
      report.current?.(0);
      return;
    }
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    analyser.smoothingTimeConstant = 0.55;
    const source = context.createMediaStreamSource(new MediaStream([track]));
    source.connect(analyser);
    const bins = new Uint8Array(analyser.frequencyBinCount);
    const hzPerBin = context.sampleRate / analyser.fftSize;
    // Bin boundaries of the bars: each bar at least one bin wide.
    const edges: number[] = [];
    for (const hz of EDGES_HZ) {
      const bin = Math.min(Math.max(1, Math.round(hz / hzPerBin)), bins.length);
      edges.push(edges.length ? Math.max(bin, edges[edges.length - 1] + 1) : bin);
    }
    const band = () => {
      analyser.getByteFrequencyData(bins);
      return bins.subarray(edges[0], edges[BARS]);
    };
    const average = (values: Uint8Array) => values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);

    let frame = 0;
    const draw = () => {
      analyser.getByteFrequencyData(bins);
      setBars(Array.from({ length: BARS }, (_, i) => average(bins.subarray(edges[i], edges[i + 1]))));
      frame = requestAnimationFrame(draw);
    };
    draw();
    const timer = window.setInterval(() => report.current?.(Math.round(average(band()))), LEVEL_EVERY_MS);

    // Without a user gesture the browser may start the context suspended: the next click or key resumes it.
    const resume = () => {
      if (context.state === "suspended") void context.resume();
    };
    resume();
    document.addEventListener("pointerdown", resume);
    document.addEventListener("keydown", resume);
    return () => {
      cancelAnimationFrame(frame);
      clearInterval(timer);
      document.removeEventListener("pointerdown", resume);
      document.removeEventListener("keydown", resume);
      source.disconnect();
      void context.close();
      report.current?.(0);
    };
  }, [track]);

  return (
    <div className="visualizer" data-testid="interviewer-visualizer" aria-hidden="true">
      {Array.from({ length: BARS }, (_, i) => (
        <span
          key={i}
          ref={(bar) => {
            bars.current[i] = bar;
          }}
        />
      ))}
    </div>
  );
}

/** A loudspeaker (crossed out when muted), drawn inline: no icon font or emoji needed. */
export function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      {muted ? (
        <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      ) : (
        <path
          d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12"
          stroke="currentColor"
          strokeWidth="2"
          fill="none"
          strokeLinecap="round"
        />
      )}
    </svg>
  );
}

/** The interviewer as a participant: name, state, a visualiser of its voice, and the voice itself (the agent's
 * audio track on an <audio> element), with a local volume and mute. When the browser blocked autoplay, one button
 * enables sound. `data-agent-state` and `data-audio-level` (0-255) are there for browser tests. */
export function InterviewerTile({
  track,
  state,
  present,
  canPlayAudio,
  startAudio,
}: {
  track: RemoteAudioTrack | null;
  state: AgentState;
  present: boolean;
  canPlayAudio: boolean;
  startAudio: () => Promise<void>;
}) {
  const { t } = useI18n();
  const audio = useRef<HTMLAudioElement>(null);
  const [volume, setVolume] = useState(1);
  const [muted, setMuted] = useState(false);
  const [level, setLevel] = useState(0);

  useEffect(() => {
    const element = audio.current;
    if (!track || !element) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);

  // After attaching (which resets the element's muting): the listener's own choice, on this page only.
  useEffect(() => {
    const element = audio.current;
    if (!element) return;
    element.volume = volume;
    element.muted = muted;
  }, [track, volume, muted]);

  return (
    <section
      className={`interviewer-tile ${state}`}
      aria-label={t("interviewer")}
      data-testid="interviewer-tile"
      data-agent-state={state}
      data-audio-level={level}
    >
      <div className="tile-head">
        <strong>{t("interviewer")}</strong>
        <span className={`state ${state}`}>{present ? t(`state_${state}`) : t("waitingForInterviewer")}</span>
      </div>
      <AudioVisualizer track={track?.mediaStreamTrack} onLevel={setLevel} />
      <audio ref={audio} autoPlay />
      {!canPlayAudio && (
        <button className="enable-sound" onClick={() => void startAudio()} data-testid="enable-sound">
          <SpeakerIcon muted={false} /> {t("enableSound")}
        </button>
      )}
      <div className="tile-controls">
        <button
          className="secondary"
          onClick={() => setMuted(!muted)}
          aria-pressed={muted}
          aria-label={muted ? t("unmuteInterviewer") : t("muteInterviewer")}
          title={muted ? t("unmuteInterviewer") : t("muteInterviewer")}
        >
          <SpeakerIcon muted={muted} />
        </button>
        <label className="volume">
          <span className="sr-only">{t("interviewerVolume")}</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={muted ? 0 : volume}
            onChange={(event) => {
              setVolume(Number(event.target.value));
              setMuted(false);
            }}
          />
        </label>
      </div>
    </section>
  );
}
