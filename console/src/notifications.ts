// The signed-in user's notifications: loaded once, then kept live from the WebSocket.
import type { ApiClient } from "./api/client";
import type { Notification, NotificationPage } from "./api/types";

type Listener = (items: readonly Notification[], arrived: Notification | null) => void;

export class NotificationCentre {
  private items: Notification[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(private readonly api: ApiClient) {}

  get all(): readonly Notification[] {
    return this.items;
  }

  get unread(): number {
    return this.items.filter((item) => !item.read).length;
  }

  async load(userId: string): Promise<void> {
    const page = await this.api.get<NotificationPage>(`/api/v1/notifications/${encodeURIComponent(userId)}?limit=50`);
    const live = this.items.filter((item) => !page.items.some((loaded) => loaded.id === item.id));
    this.items = [...live, ...page.items];
    this.emit(null);
  }

  arrived(notification: Notification): void {
    if (!this.items.some((item) => item.id === notification.id)) {
      this.items = [notification, ...this.items];
      this.emit(notification);
    }
  }

  async markRead(id: string): Promise<void> {
    await this.api.post(`/api/v1/notifications/${encodeURIComponent(id)}/read`);
    this.items = this.items.map((item) => (item.id === id ? { ...item, read: true } : item));
    this.emit(null);
  }

  clear(): void {
    this.items = [];
    this.emit(null);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(arrived: Notification | null): void {
    for (const listener of this.listeners) {
      listener(this.items, arrived);
    }
  }
}
