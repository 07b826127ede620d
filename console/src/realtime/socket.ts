// The live connection: `?token=` as the WebSocket API requires (the only place a token goes into a
// URL), reconnecting with backoff; a handshake that fails before opening renews the token first.
import { backoffDelay } from "./backoff";
import { parseServerMessage, type MessageOf, type MessageType, type ServerMessage } from "./messages";

export type SocketStatus = "connecting" | "live" | "reconnecting" | "closed";

interface SocketOptions {
  url: string;
  /** A valid access token; `renew` asks for one renewed even if the current one looks valid. */
  token: (renew: boolean) => Promise<string>;
  onStatus: (status: SocketStatus) => void;
  /** Called after a reconnection, to catch up on what may have been missed meanwhile. */
  onReconnected: () => void;
  open?: (url: string) => WebSocket;
}

type Handler = (message: ServerMessage) => void;

export class LiveSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private everOpened = false;
  private readonly handlers = new Map<MessageType, Set<Handler>>();

  constructor(private readonly options: SocketOptions) {}

  on<K extends MessageType>(type: K, handler: (message: MessageOf<K>) => void): () => void {
    const set = this.handlers.get(type) ?? new Set<Handler>();
    this.handlers.set(type, set);
    set.add(handler as Handler);
    return () => set.delete(handler as Handler);
  }

  start(): void {
    this.stopped = false;
    void this.connect(false);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    this.socket?.close(1000, "signed out");
    this.socket = null;
    this.options.onStatus("closed");
  }

  private async connect(renew: boolean): Promise<void> {
    this.options.onStatus(this.everOpened ? "reconnecting" : "connecting");
    let token: string;
    try {
      token = await this.options.token(renew);
    } catch {
      this.stop(); // the session has ended; the app returns to the sign-in page
      return;
    }
    if (this.stopped) {
      return;
    }
    const url = `${this.options.url}/?token=${encodeURIComponent(token)}`;
    const socket = this.options.open?.(url) ?? new WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.options.onStatus("live");
      if (reconnected) {
        this.options.onReconnected();
      }
    };
    socket.onmessage = (event: MessageEvent) => this.dispatch(parseServerMessage(event.data));
    socket.onclose = () => {
      if (this.socket === socket) {
        this.socket = null;
        this.retryLater(!opened);
      }
    };
  }

  private retryLater(handshakeFailed: boolean): void {
    if (this.stopped) {
      return;
    }
    this.options.onStatus("reconnecting");
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    // a refused handshake is most often an expired token: renew it before the next try
    this.timer = setTimeout(() => void this.connect(handshakeFailed), delay);
  }

  private dispatch(message: ServerMessage | null): void {
    if (message === null) {
      return;
    }
    for (const handler of this.handlers.get(message.type) ?? []) {
      handler(message);
    }
  }
}
