/** UI strings in English and Korean; the choice is remembered and starts from the browser's language. */
import { createContext, useContext, useState, type ReactNode } from "react";

const en = {
  appName: "Mock Interview",
  tagline: "Practice interviews with an AI interviewer in a live video room.",
  signIn: "Sign in",
  signOut: "Sign out",
  register: "Create an account",
  username: "Username",
  usernameOrEmail: "Username or email",
  email: "Email",
  password: "Password",
  fullName: "Full name (optional)",
  iAmRecruiter: "I am a recruiter",
  haveAccount: "Already have an account? Sign in",
  noAccount: "New here? Create an account",
  myInterviews: "My interviews",
  newInterview: "New interview",
  position: "Position",
  posting: "Job posting (optional)",
  noPosting: "None: questions from the position alone",
  language: "Interview language",
  questionCount: "Number of questions",
  mode: "Mode",
  practice: "Practice",
  screening: "Screening",
  consent: "Analyse my facial expressions (optional)",
  consentHelp:
    "If ticked, one camera frame every two seconds is analysed for expressions to give you coaching notes in the report. It is never part of any score, and you can leave it unticked.",
  create: "Create interview",
  creating: "Creating…",
  noInterviews: "No interviews yet. Create one above.",
  status: "Status",
  start: "Start",
  report: "Report",
  preparing: "Preparing questions…",
  deviceCheck: "Check your camera and microphone",
  deviceHelp: "You should see yourself and the level should move when you speak.",
  micLevel: "Microphone level",
  enterRoom: "Enter the interview room",
  cameraDenied:
    "The browser did not allow the camera or microphone. Allow them in the address bar's site settings, then try again.",
  noDevices: "No camera or microphone was found. Connect one and try again.",
  connecting: "Connecting to the interview room…",
  reconnecting: "Connection lost. Reconnecting…",
  disconnected: "You left the interview room.",
  waitingForInterviewer: "Waiting for the interviewer to join…",
  questionOf: "Question {k} of {n}",
  followUp: "Follow-up",
  done: "Done answering",
  doneShortcut: "Ctrl+Enter",
  repeat: "Repeat question",
  leave: "Leave",
  elapsed: "Elapsed",
  captions: "Live captions",
  interviewer: "Interviewer",
  you: "You",
  candidate: "Candidate",
  state_listening: "Listening",
  state_thinking: "Thinking",
  state_speaking: "Speaking",
  state_idle: "Finished",
  state_initializing: "Joining",
  ended: "The interview is over. Your report is being prepared.",
  seeReport: "See the report",
  reportTitle: "Interview report",
  reportPending: "The report is being prepared. It fills in here as the answers are scored.",
  overall: "Overall",
  technical: "Technical",
  communication: "Communication",
  depth: "Depth",
  culturalFit: "Cultural fit",
  summary: "Summary",
  yourAnswer: "Your answer",
  answer: "Answer",
  feedback: "Feedback",
  evidence: "Evidence",
  notScored: "Not scored",
  speech: "Speech",
  wordsPerMinute: "Words per minute",
  fillers: "Filler words",
  longPauses: "Long pauses",
  talkRatio: "Your share of speaking time",
  expression: "Expression timeline (coaching only, not scored)",
  partial: "The interview ended early; this report covers the questions answered.",
  print: "Print",
  live: "Live interviews",
  observe: "Observe",
  noLive: "No interview is live right now.",
  observing: "Observing (hidden: the candidate and the interviewer do not see you)",
  transcript: "Transcript",
  scores: "Scores",
  interviews: "Interviews",
  back: "Back",
  loading: "Loading…",
};

export type StringKey = keyof typeof en;

const ko: Record<StringKey, string> = {
  appName: "모의 면접",
  tagline: "AI 면접관과 실시간 화상 면접을 연습하세요.",
  signIn: "로그인",
  signOut: "로그아웃",
  register: "계정 만들기",
  username: "사용자 이름",
  usernameOrEmail: "사용자 이름 또는 이메일",
  email: "이메일",
  password: "비밀번호",
  fullName: "이름 (선택)",
  iAmRecruiter: "채용 담당자입니다",
  haveAccount: "계정이 있으신가요? 로그인",
  noAccount: "처음이신가요? 계정 만들기",
  myInterviews: "내 면접",
  newInterview: "새 면접",
  position: "직무",
  posting: "채용 공고 (선택)",
  noPosting: "없음: 직무만으로 질문 생성",
  language: "면접 언어",
  questionCount: "질문 수",
  mode: "모드",
  practice: "연습",
  screening: "심사",
  consent: "표정 분석 사용 (선택)",
  consentHelp:
    "선택하면 2초마다 카메라 한 프레임의 표정을 분석해 리포트에 코칭 메모를 드립니다. 점수에는 절대 반영되지 않으며, 선택하지 않아도 됩니다.",
  create: "면접 만들기",
  creating: "만드는 중…",
  noInterviews: "아직 면접이 없습니다. 위에서 만들어 보세요.",
  status: "상태",
  start: "시작",
  report: "리포트",
  preparing: "질문을 준비하는 중…",
  deviceCheck: "카메라와 마이크 확인",
  deviceHelp: "화면에 본인이 보이고 말할 때 막대가 움직여야 합니다.",
  micLevel: "마이크 입력",
  enterRoom: "면접실 입장",
  cameraDenied: "브라우저가 카메라나 마이크를 허용하지 않았습니다. 주소창의 사이트 설정에서 허용한 뒤 다시 시도하세요.",
  noDevices: "카메라나 마이크를 찾을 수 없습니다. 연결한 뒤 다시 시도하세요.",
  connecting: "면접실에 연결하는 중…",
  reconnecting: "연결이 끊어졌습니다. 다시 연결하는 중…",
  disconnected: "면접실에서 나왔습니다.",
  waitingForInterviewer: "면접관을 기다리는 중…",
  questionOf: "질문 {k} / {n}",
  followUp: "꼬리 질문",
  done: "답변 완료",
  doneShortcut: "Ctrl+Enter",
  repeat: "질문 다시 듣기",
  leave: "나가기",
  elapsed: "경과 시간",
  captions: "실시간 자막",
  interviewer: "면접관",
  you: "나",
  candidate: "지원자",
  state_listening: "듣는 중",
  state_thinking: "생각 중",
  state_speaking: "말하는 중",
  state_idle: "종료",
  state_initializing: "입장 중",
  ended: "면접이 끝났습니다. 리포트를 준비하고 있습니다.",
  seeReport: "리포트 보기",
  reportTitle: "면접 리포트",
  reportPending: "리포트를 준비하고 있습니다. 답변이 채점되는 대로 여기에 채워집니다.",
  overall: "종합",
  technical: "기술",
  communication: "의사소통",
  depth: "깊이",
  culturalFit: "조직 적합성",
  summary: "요약",
  yourAnswer: "내 답변",
  answer: "답변",
  feedback: "피드백",
  evidence: "근거",
  notScored: "채점 안 됨",
  speech: "말하기",
  wordsPerMinute: "분당 단어 수",
  fillers: "군말",
  longPauses: "긴 멈춤",
  talkRatio: "내 발화 비율",
  expression: "표정 타임라인 (코칭용, 점수 미반영)",
  partial: "면접이 일찍 끝났습니다. 답변한 질문만 리포트에 포함됩니다.",
  print: "인쇄",
  live: "진행 중인 면접",
  observe: "참관",
  noLive: "지금 진행 중인 면접이 없습니다.",
  observing: "참관 중 (숨김: 지원자와 면접관에게 보이지 않습니다)",
  transcript: "대화 기록",
  scores: "점수",
  interviews: "면접",
  back: "뒤로",
  loading: "불러오는 중…",
};

export type Language = "en" | "ko";
const tables: Record<Language, Record<StringKey, string>> = { en, ko };
const LANGUAGE_KEY = "mockinterview.language";

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored === "en" || stored === "ko") return stored;
  return navigator.language.toLowerCase().startsWith("ko") ? "ko" : "en";
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: StringKey, values?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function translate(language: Language, key: StringKey, values: Record<string, string | number> = {}): string {
  return tables[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = (next: Language) => {
    localStorage.setItem(LANGUAGE_KEY, next);
    document.documentElement.lang = next;
    setLanguageState(next);
  };
  const t = (key: StringKey, values?: Record<string, string | number>) => translate(language, key, values);
  return <I18nContext.Provider value={{ language, setLanguage, t }}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
