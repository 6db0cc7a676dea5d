/** One LiveKit connection to an interview room, for the candidate (publishes camera and microphone) or a hidden
 * observer (subscribes only). It turns the agent's `lk.transcription` messages into the transcript state and keeps
 * the connection state readable. */
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import {
  ConnectionState,
  type Participant,
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
  applyMessage,
  emptyTranscript,
  type StoredSegment,
  type TranscriptMessage,
  type TranscriptState,
  withHistory,
} from "./transcript";
import type { JoinGrant } from "./types";

export const TRANSCRIPTION_TOPIC = "lk.transcription";
export const CONTROL_TOPIC = "interview.control";

export type Connection = "connecting" | "connected" | "reconnecting" | "disconnected" | "failed";

interface Options {
  interviewId: number;
  role: "candidate" | "observer";
  onRemoteTrack?: (track: RemoteTrack, participant: Participant) => void;
}

export function useInterviewRoom({ interviewId, role, onRemoteTrack }: Options) {
  const [transcript, dispatch] = useReducer(
    (state: TranscriptState, action: TranscriptMessage | { history: StoredSegment[] }) =>
      "history" in action ? withHistory(state, action.history) : applyMessage(state, action),
    emptyTranscript,
  );
  const [connection, setConnection] = useState<Connection>("connecting");
  const [error, setError] = useState<string | null>(null);
  const [agentState, setAgentState] = useState<AgentState>("initializing");
  const [agentPresent, setAgentPresent] = useState(false);
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

    room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader: TextStreamReader, sender) => {
      void readMessage(reader, sender.identity, dispatch);
    });
    const updatePresent = () => setRemoteIdentities([...room.remoteParticipants.keys()].sort());
    const updateAgent = (participant: Participant) => {
      if (!participant.isAgent) return;
      setAgentPresent(true);
      const state = agentStateOf(participant.attributes);
      if (state) setAgentState(state);
    };
    room
      .on(RoomEvent.ParticipantConnected, (participant) => {
        updateAgent(participant);
        updatePresent();
      })
      .on(RoomEvent.ParticipantAttributesChanged, (_changed, participant) => updateAgent(participant))
      .on(RoomEvent.ParticipantDisconnected, (participant) => {
        updatePresent();
        if (participant.isAgent) setAgentPresent(false);
      })
      .on(RoomEvent.TrackSubscribed, (track, _publication, participant) => onTrack.current?.(track, participant))
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
        if (role === "observer") {
          // Messages sent before this page joined are not replayed by the room: the stored transcript fills in.
          const history = await api.get<StoredSegment[]>(`/interviews/${interviewId}/transcripts`);
          if (!cancelled) dispatch({ history });
        }
        updatePresent();
        room.remoteParticipants.forEach((participant) => {
          updateAgent(participant);
          participant.trackPublications.forEach((publication) => {
            if (publication.track) onTrack.current?.(publication.track, participant);
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
      room.unregisterTextStreamHandler(TRANSCRIPTION_TOPIC);
      void room.disconnect();
    };
  }, [interviewId, role]);

  const control = useCallback(async (type: "done" | "repeat") => {
    const room = roomRef.current;
    if (!room || room.state !== ConnectionState.Connected) return;
    await room.localParticipant.sendText(JSON.stringify({ type }), { topic: CONTROL_TOPIC });
  }, []);

  const leave = useCallback(async () => {
    await roomRef.current?.disconnect();
  }, []);

  return {
    room: roomRef,
    transcript,
    connection,
    error,
    agentState,
    agentPresent,
    connectedAt,
    remoteIdentities,
    control,
    leave,
  };
}

async function readMessage(
  reader: TextStreamReader,
  senderIdentity: string,
  dispatch: (message: TranscriptMessage) => void,
): Promise<void> {
  const attributes = reader.info.attributes ?? {};
  const segmentId = attributes["lk.segment_id"] ?? reader.info.id;
  let text = "";
  for await (const chunk of reader) {
    text += chunk;
    dispatch({ segmentId, text, attributes, senderIdentity, complete: false });
  }
  dispatch({ segmentId, text, attributes, senderIdentity, complete: true });
}

export function attachTrack(track: RemoteTrack, element: HTMLMediaElement | null): void {
  if (!element) return;
  if (track.kind === Track.Kind.Video || track.kind === Track.Kind.Audio) track.attach(element);
}
