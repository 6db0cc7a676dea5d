from functools import lru_cache

from pydantic import Field, model_validator

from core.settings import CoreSettings


class AgentSettings(CoreSettings):
    agent_name: str = "interviewer"
    agent_health_host: str = "127.0.0.1"
    agent_health_port: int = 8081
    # Idle job processes kept warm (VAD and Whisper loaded) so that a dispatched room starts without a cold import.
    agent_idle_processes: int = 1
    # A job process loads the VAD, the turn detector, Whisper and the voice before it takes a room: ~4 s alone, and
    # over livekit-agents' 10 s default when the cores are busy with running interviews (lk's agent load test saw
    # spawns fail at 6 concurrent offline interviews on 2 cores).
    agent_process_init_timeout_s: float = Field(default=30.0, gt=0)
    # Capacity is counted in interviews, not CPU: a room's work is mostly waiting on audio and the CPU-heavy parts
    # (LLM, scoring, vision) run in other processes. livekit-agents' default (system CPU > 70 % = full) refused
    # every dispatch on a 2-core machine while the LLM server was generating.
    agent_max_interviews: int = 25

    # Speech recognition: Deepgram when a key is set, else the offline Whisper model from MODELS_DIR.
    deepgram_api_key: str = ""
    deepgram_base_url: str = "https://api.deepgram.com/v1/listen"
    deepgram_model: str = "nova-3"
    whisper_threads: int = Field(default=2, ge=1)

    # The interviewer's voice. English: Deepgram Aura when a key is set, else the offline Piper voice from MODELS_DIR.
    # Other languages (Korean): an OpenAI-compatible `/v1/audio/speech` server when SPEECH_API_BASE_URL is set, else
    # espeak-ng. Deepgram has no Korean voice.
    deepgram_tts_model: str = "aura-2-thalia-en"
    deepgram_tts_base_url: str = "https://api.deepgram.com/v1/speak"
    speech_api_base_url: str = ""
    speech_api_key: str = "local"
    speech_api_model: str = "tts-1"
    speech_api_voice: str = "alloy"
    # ONNX Runtime threads per Piper synthesis: interviews share the cores, one thread each keeps them from fighting.
    piper_threads: int = Field(default=1, ge=1)
    # The next planned question is synthesised while the candidate answers, so "done" → first audio skips synthesis.
    agent_presynthesize: bool = True
    # Speech over a line pauses it at once; with no words recognized this long after that speech ended (a cough,
    # "mm"), the line resumes.
    agent_false_interruption_s: float = Field(default=1.5, gt=0)
    # A candidate silent this long after a question is asked, once, whether to hear it again.
    agent_silence_nudge_s: float = Field(default=20.0, gt=0)
    # Audio is read from LiveKit in frames of this length. Every frame costs a hand-off from LiveKit's native thread
    # to the event loop and a push into the VAD and the STT stream: 10 ms frames (the SDK's default) made that the
    # largest Python cost per interview (bench/audio_path.py); the VAD still decides on its own 32 ms windows.
    agent_audio_frame_ms: int = Field(default=50, ge=10, le=200)

    # Turn-taking: silence that ends an answer, and the longer one after "um", "let me think", "and ...".
    agent_end_of_turn_silence_s: float = Field(default=1.5, ge=0.3)
    agent_thinking_silence_s: float = Field(default=4.0, ge=0.3)
    # LiveKit's audio turn detector (v1-mini, runs locally): when it hears a finished sentence, this much silence
    # ends the answer instead of AGENT_END_OF_TURN_SILENCE_S. The word rules above still win ("um", "and ...").
    agent_turn_detector: bool = True
    agent_likely_end_silence_s: float = Field(default=0.6, ge=0.2)
    # Follow-ups: the LLM must start within the first deadline and finish within the second, or none is asked.
    agent_follow_ups_enabled: bool = True
    agent_follow_up_first_words_s: float = Field(default=2.5, gt=0)
    agent_follow_up_total_s: float = Field(default=8.0, gt=0)
    # Expression frames (only with the candidate's consent).
    agent_frame_interval_s: float = Field(default=2.0, gt=0)
    # How long a dropped candidate has to come back before the interview ends with what it has.
    agent_rejoin_grace_s: float = Field(default=120.0, ge=0)
    # How long the agent waits for the candidate to arrive in a room it was dispatched to.
    agent_candidate_wait_s: float = Field(default=600.0, gt=0)
    # Rooms dispatched without an interview (`lk perf agent-load-test`) get a demo voice interview that stores
    # nothing (agent/demo.py). Off by default, refused in production: it would let anyone with a dispatch grant spend
    # agent capacity outside any interview.
    agent_load_test_rooms: bool = False

    @model_validator(mode="after")
    def _no_load_test_rooms_in_production(self) -> "AgentSettings":
        if self.environment == "production" and self.agent_load_test_rooms:
            raise ValueError("AGENT_LOAD_TEST_ROOMS must be off in production")
        return self


@lru_cache
def get_agent_settings() -> AgentSettings:
    return AgentSettings()
