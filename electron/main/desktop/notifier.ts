import type { DesktopElectron, DesktopNotification } from './desktopElectron.js';

/**
 * 20: more than a screen of notifications; past that the oldest may be collected (losing only
 * its click handler, which Electron drops with the object).
 */
const MAX_LIVE_NOTIFICATIONS = 20;

/**
 * Linux notification servers with the `body-markup` capability read the body as markup
 * (`<a href>`, `<img src>`), and Electron passes it on as it is: the agent's words are escaped
 * so they show as text. The summary (title) is plain text by the specification.
 */
export function inertNotificationBody(body: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return body;
  return body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface Notifier {
  /** Shows a desktop notification, if the OS has them; `onClick` runs when the user clicks it. */
  show(content: { title: string; body: string }, onClick?: () => void): void;
  dispose(): void;
}

export function createNotifier(Notification: DesktopElectron['Notification'], platform: NodeJS.Platform): Notifier {
  // Held until clicked: a notification object Electron collects no longer reports its click.
  const live = new Set<DesktopNotification>();
  return {
    show(content, onClick) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: content.title, body: inertNotificationBody(content.body, platform) });
      notification.on('click', () => {
        live.delete(notification);
        onClick?.();
      });
      live.add(notification);
      if (live.size > MAX_LIVE_NOTIFICATIONS) live.delete(live.values().next().value as DesktopNotification);
      notification.show();
    },
    dispose() {
      live.clear();
    },
  };
}
