import type { ApiClient } from "./api/client";
import type { PublicUser } from "./api/types";
import type { Session } from "./auth/session";
import type { AnswerStreams } from "./realtime/answer_stream";
import type { LiveSocket } from "./realtime/socket";
import type { NotificationCentre } from "./notifications";

/** What every page may use. */
export interface AppContext {
  api: ApiClient;
  session: Session;
  socket: LiveSocket;
  answers: AnswerStreams;
  notifications: NotificationCentre;
  navigate: (path: string) => void;
  user: () => PublicUser;
}
