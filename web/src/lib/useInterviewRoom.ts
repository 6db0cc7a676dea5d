/** One LiveKit connection to an interview room, for the candidate (publishes camera and microphone) or a hidden
 * observer (subscribes only). It turns the agent's text streams into the transcript state (`interview.prompt`:
 * the interviewer's lines as they start; `lk.transcription`: both sides' captions), hands out the interviewer's
 * voice (the agent's audio track) and keeps the connection and audio playback state readable. */
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import {
  ConnectionState,
  type Participant,
  type RemoteAudioTrack,
  type RemoteTrack,
  Room,
  RoomEvent,
  type TextStreamReader,
  Track,
} from "livekit-client";
import { ApiError, api } from "./api";
import {
  type AgentState,
  agentStateOf,
  applyCaption,
  applyPrompt,
  type CaptionMessage,
  emptyTranscript,
  type PromptMessage,
  type StoredSegment,
  type TranscriptState,
  withHistory,
} from "./transcript";
import type { JoinGrant } from "./types";

export const TRANSCRIPTION_TOPIC = "lk.transcription";
const CANDIDATE_PREFIX = "candidate-"; // core/room_protocol.py: candidate_identity
export const PROMPT_TOPIC = "interview.prompt";

export type Connection = "connecting" | "connected" | "reconnecting" | "disconnected" | "failed";

type Action = { prompt: PromptMessage } | { caption: CaptionMessage } | { history: StoredSegment[] };

function reduce(state: TranscriptState, action: Action): TranscriptState {
  if ("prompt" in action) return applyPrompt(state, action.prompt);
  if ("caption" in action) return applyCaption(state, action.caption);
  return withHistory(state, action.history);
}

interface Options {
  interviewId: number;
  role: "candidate" | "observer";
  /** every remote track as it is subscribed (the agent's voice too; it is also in `agentAudio`) */
  onRemoteTrack?: (track: RemoteTrack, participant: Participant) => void;
}

export function useInterviewRoom({ interviewId, role, onRemoteTrack }: Options) {
  const [transcript, dispatch] = useReducer(reduce, emptyTranscript);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [error, setError] = useState<string | null>(null);
  const [agentState, setAgentState] = useState<AgentState>("initializing");
  const [agentPresent, setAgentPresent] = useState(false);
  // The interviewer's voice: the agent participant's audio track, once subscribed.
  const [agentAudio, setAgentAudio] = useState<RemoteAudioTrack | null>(null);
  // False when the browser blocked autoplay: the page then asks for a click (startAudio).
  const [canPlayAudio, setCanPlayAudio] = useState(true);
  const [connectedAt, setConnectedAt] = useState<number | null>(null);
  // Who this page sees in the room; hidden observers are never announced to it (the server's doing, shown for tests).
  const [remoteIdentities, setRemoteIdentities] = useState<string[]>([]);
  const roomRef = useRef<Room | null>(null);
  const onTrack = useRef(onRemoteTrack);
  onTrack.current = onRemoteTrack;

  useEffect(() => {
    const room = new Room({ adaptiveStream: true, dynacast: true });
    roomRef.current = room;
    let cancelled = false;
    const isAgent = (identity: string) => room.remoteParticipants.get(identity)?.isAgent === true;

    // The interviewer's lines, only from the agent: anyone else could otherwise forge the question card or the end.
    room.registerTextStreamHandler(PROMPT_TOPIC, (reader: TextStreamReader, sender) => {
      if (!isAgent(sender.identity)) return;
      void readStream(reader, (text, complete) =>
        dispatch({ prompt: { text, attributes: reader.info.attributes ?? {}, complete } }),
      );
    });
    // Captions: the agent's own (its voice, in step with the audio) are the interviewer's; the candidate's are sent
    // by the agent on the candidate's behalf (sender identity `candidate-<id>`, `interview.kind` caption).
    // livekit-server sets every sender's identity itself (only an agent may send on someone's behalf), so anything
    // from neither the agent nor the candidate is somebody else's words: dropped.
    room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader: TextStreamReader, sender) => {
      if (!isAgent(sender.identity) && !sender.identity.startsWith(CANDIDATE_PREFIX)) return;
      const fromAgent = isAgent(sender.identity) && reader.info.attributes?.["interview.kind"] !== "caption";
      void readStream(reader, (text, complete) => {
        const attributes = reader.info.attributes ?? {};
        const segmentId = attributes["lk.segment_id"] ?? reader.info.id;
        dispatch({ caption: { segmentId, text, attributes, fromAgent, complete } });
      });
    });

    const updatePresent = () => setRemoteIdentities([...room.remoteParticipants.keys()].sort());
    const updateAgent = (participant: Participant) => {
      if (!participant.isAgent) return;
      setAgentPresent(true);
      const state = agentStateOf(participant.attributes);
      if (state) setAgentState(state);
    };
    const trackSubscribed = (track: RemoteTrack, participant: Participant) => {
      if (participant.isAgent && track.kind === Track.Kind.Audio) setAgentAudio(track as RemoteAudioTrack);
      onTrack.current?.(track, participant);
    };
    room
      .on(RoomEvent.ParticipantConnected, (participant) => {
        updateAgent(participant);
        updatePresent();
      })
      .on(RoomEvent.ParticipantAttributesChanged, (_changed, participant) => updateAgent(participant))
      .on(RoomEvent.ParticipantDisconnected, (participant) => {
        updatePresent();
        if (participant.isAgent) {
          setAgentPresent(false);
          setAgentAudio(null);
        }
      })
      .on(RoomEvent.TrackSubscribed, (track, _publication, participant) => trackSubscribed(track, participant))
      .on(RoomEvent.TrackUnsubscribed, (track, _publication, participant) => {
        if (participant.isAgent && track.kind === Track.Kind.Audio)
          setAgentAudio((current) => (current === track ? null : current));
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, () => setCanPlayAudio(room.canPlaybackAudio))
      .on(RoomEvent.ConnectionStateChanged, (state) => {
        if (state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting)
          setConnection("reconnecting");
        else if (state === ConnectionState.Connected) setConnection("connected");
        else if (state === ConnectionState.Disconnected) setConnection("disconnected");
      });

    (async () => {
      try {
        const grant = await api.post<JoinGrant>(`/interviews/${interviewId}/${role === "candidate" ? "join" : "observe"}`);
        if (cancelled) return;
        await room.connect(grant.url, grant.token);
        if (cancelled) return;
        setConnectedAt(Date.now());
        setConnection("connected");
        setCanPlayAudio(room.canPlaybackAudio);
        if (role === "observer") {
          // Messages sent before this page joined are not replayed by the room: the stored transcript fills in.
          const history = await api.get<StoredSegment[]>(`/interviews/${interviewId}/transcripts`);
          if (!cancelled) dispatch({ history });
        }
        updatePresent();
        room.remoteParticipants.forEach((participant) => {
          updateAgent(participant);
          participant.trackPublications.forEach((publication) => {
            if (publication.track) trackSubscribed(publication.track, participant);
          });
        });
        if (role === "candidate") await room.localParticipant.enableCameraAndMicrophone();
      } catch (caught) {
        if (cancelled) return;
        setConnection("failed");
        const name = (caught as { name?: string } | null)?.name;
        setError(
          caught instanceof ApiError
            ? caught.message
            : name === "NotAllowedError"
              ? "camera"
              : "The interview room could not be reached. Check your connection and try again.",
        );
      }
    })();

    return () => {
      cancelled = true;
      room.unregisterTextStreamHandler(PROMPT_TOPIC);
      room.unregisterTextStreamHandler(TRANSCRIPTION_TOPIC);
      void room.disconnect();
    };
  }, [interviewId, role]);

  // Through the API, which relays it to the agent: the candidate's token cannot publish data into the room, so
  // nobody in it can forge the interviewer's lines or the candidate's controls.
  const control = useCallback(
    async (type: "done" | "repeat") => {
      const room = roomRef.current;
      if (!room || room.state !== ConnectionState.Connected) return;
      try {
        await api.post(`/interviews/${interviewId}/control`, { type });
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : String(failure));
      }
    },
    [interviewId],
  );

  const leave = useCallback(async () => {
    await roomRef.current?.disconnect();
  }, []);

  /** Unblocks audio after the browser's autoplay policy stopped it; call it from a click. */
  const startAudio = useCallback(async () => {
    const room = roomRef.current;
    if (!room) return;
    await room.startAudio();
    setCanPlayAudio(room.canPlaybackAudio);
  }, []);

  return {
    room: roomRef,
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
  };
}

/** Reads a text stream to its end, reporting the text so far (its chunks appended: a follow-up and the
 * interviewer's voice captions arrive as deltas) after each chunk and once more, complete, when it closes. A stream
 * cut off (its sender left) is closed where it stopped. */
async function readStream(reader: TextStreamReader, report: (text: string, complete: boolean) => void): Promise<void> {
  let text = "";
  try {
    for await (const chunk of reader) {
      text += chunk;
      report(text, false);
    }
  } catch (caught) {
    console.warn(`text stream ${reader.info.topic} ended early`, caught);
  }
  report(text, true);
}
