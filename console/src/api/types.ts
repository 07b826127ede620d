// The REST API's types, generated from docs/openapi.json by `make client`.
import type { components } from "../../../clients/typescript/learnflow-api";

type Schemas = components["schemas"];

export type ApiErrorBody = Schemas["ErrorBody"];
export type SessionTokens = Schemas["SessionTokens"];
export type PublicUser = Schemas["PublicUser"];
export type Registration = Schemas["Registration"];
export type QueuedQuestion = Schemas["QueuedQuestion"];
export type TutorRequestState = Schemas["TutorRequestState"];
export type ConceptExplanation = Schemas["ConceptExplanation"];
export type UnknownConcept = Schemas["UnknownConcept"];
export type PythonAnswer = Schemas["PythonAnswer"];
export type ConceptExample = Schemas["ConceptExample"];
export type ErrorAnalysis = Schemas["ErrorAnalysis"];
export type CodeNeeded = Schemas["CodeNeeded"];
export type CodeReview = Schemas["CodeReview"];
export type ExerciseAnswer = Schemas["ExerciseAnswer"];
export type ProgressSummary = Schemas["ProgressSummary"];
export type Clarification = Schemas["Clarification"];
export type DebugHint = Schemas["DebugHint"];
export type ProgramRun = Schemas["ProgramRun"];
export type Exercise = Schemas["Exercise"];
export type ExerciseHint = Schemas["ExerciseHint"];
export type RevealedHint = Schemas["RevealedHint"];
export type GradedSubmission = Schemas["GradedSubmission"];
export type ProgressReport = Schemas["ProgressReport"];
export type ProgressComponents = Schemas["ProgressComponents"];
export type TopicProgress = Schemas["TopicProgress"];
export type Level = ProgressReport["level"];
export type Notification = Schemas["Notification"];
export type NotificationPage = Schemas["NotificationPage"];
export type OpenedClass = Schemas["OpenedClass"];
export type ClassRoster = Schemas["ClassRoster"];
export type JoinedClass = Schemas["JoinedClass"];
export type Difficulty = Exercise["difficulty"];
export type Intent = QueuedQuestion["intent"];

/** What a tutor's `response` message carries, by the question's intent. */
export type TutorAnswer = NonNullable<TutorRequestState["response"]>;
