/** The API's response shapes (api/schemas.py) that the pages use. */

export type Role = "candidate" | "recruiter" | "admin";

export interface User {
  id: number;
  email: string;
  username: string;
  role: Role;
  full_name: string | null;
}

export interface Interview {
  id: number;
  candidate_id: number;
  job_posting_id: number | null;
  position: string;
  status: "preparing" | "scheduled" | "live" | "completed" | "cancelled" | "failed";
  room_name: string;
  language: "en" | "ko";
  mode: "practice" | "screening";
  question_count: number;
  emotion_consent: boolean;
  /** a practice interview the candidate shares with the recruiters of its posting (screening: always) */
  shared_with_recruiters: boolean;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
  overall_score: number | null;
  plan_error: string | null;
}

export interface Posting {
  id: number;
  title: string;
  company: string;
}

export interface JoinGrant {
  url: string;
  token: string;
  room: string;
  identity: string;
}

export type Dimension = "technical" | "communication" | "depth";
export type DimensionScores = Record<Dimension, number | null>;

/** Something about an answer a person should look at, set by the scoring worker. */
export interface EvaluationFlag {
  kind: "manipulation_suspected" | "off_topic" | string;
  detail: string;
  spans: string[];
}

export interface ScoreOverride {
  dimension: Dimension;
  score: number;
  model_score: number | null;
  reason: string;
  author: string;
  created_at: string;
}

export interface Evaluation {
  id: number;
  interview_question_id: number;
  question: string;
  /** the plan entry's order, as `QuestionDetail.order` in the report */
  question_order: number;
  status: string;
  /** the scores that count: a recruiter's latest override of a dimension, the model's score otherwise */
  technical_score: number | null;
  communication_score: number | null;
  depth_score: number | null;
  feedback: string | null;
  evidence: string[];
  flags: EvaluationFlag[];
  relevance: number | null;
  improvement_criterion: string | null;
  /** recruiters and admins only (null for the candidate) */
  model_scores: DimensionScores | null;
  /** newest first; always empty for the candidate */
  overrides: ScoreOverride[];
}

/** A recruiter's private note on one answer (never sent to the candidate). */
export interface AnswerNote {
  id: number;
  evaluation_id: number;
  author: string;
  text: string;
  created_at: string;
}

export interface QuestionDetail {
  order: number;
  question: string;
  category: string;
  status: string;
  answer: string;
  scores: { technical: number | null; communication: number | null; depth: number | null } | null;
  feedback: string | null;
  evidence: string[];
  rationale: string;
  follow_up: boolean;
  /** end of the spoken question → the candidate's first word, ms (0: they spoke over it); absent in older reports */
  thinking_ms?: number | null;
}

export interface SpeechMetrics {
  words_per_minute: number | null;
  filler_count: number;
  fillers: Record<string, number>;
  filler_rate_per_100_words: number | null;
  long_pauses: number;
  longest_pause_ms: number;
  talk_ratio: number | null;
  candidate_words: number;
}

export interface Expression {
  frames: number;
  frames_with_face: number;
  share: Record<string, number>;
  timeline: { t_ms: number; dominant: string }[];
}

export interface Report {
  interview_id: number;
  technical_score: number | null;
  communication_score: number | null;
  cultural_fit_score: number | null;
  overall_score: number | null;
  summary_text: string | null;
  details_json: {
    questions?: QuestionDetail[];
    speech?: SpeechMetrics;
    expression?: Expression;
    partial?: boolean;
    answered?: number;
    planned?: number;
  } | null;
}

export interface Question {
  id: number;
  content: string;
  category: string;
  difficulty: string;
  language: string;
  position: string | null;
  rubric_json: { criteria?: { name: string; description: string; weight: number }[]; expected_points?: string[] };
}

export interface PostingDetail extends Posting {
  description: string;
  requirements: string;
  question_ids: number[];
}

/** Who observed, reviewed or read an interview that is not theirs (and the candidate's own exports). */
export interface AccessEvent {
  id: number;
  interview_id: number;
  action: "observe" | "score_override" | "note" | "read_report" | "read_transcripts" | "read_evaluations" | "export" | string;
  /** null once that account is deleted */
  actor: string | null;
  actor_role: string | null;
  detail: Record<string, unknown>;
  created_at: string;
}

export interface PrivacyPolicy {
  practice_retention_days: number;
}
