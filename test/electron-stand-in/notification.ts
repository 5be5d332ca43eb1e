/**
 * `Notification` (main process) with Electron's rules, recording what would be shown.
 *
 * Sources (electronjs.org/docs/latest/api/notification, docs/api/notification.md, and
 * shell/browser/api/electron_api_notification.cc):
 * - `new Notification()` before ready throws "Cannot create Notification before app is ready"
 *   (`Notification::New` checks `Browser::Get()->is_ready()`).
 * - `Notification.isSupported()`: "Whether or not desktop notifications are supported on the
 *   current system" — the stand-in answers what the test says (a Linux box without a
 *   notification daemon answers false).
 * - "instantiating a new Notification() does not immediately show it to the user. Instead, you
 *   need to call [show()] before the OS will display it": only `show()` records a notification.
 * - Event 'click': "Emitted when the notification is clicked by the user." Only a shown
 *   notification can be clicked (`control.clickNotification` refuses any other).
 */
import { EventEmitter } from 'node:events';
import { ElectronRuleError, type Lifecycle } from './lifecycle';

export interface NotificationOptionsStandIn {
  title?: string;
  body?: string;
}

/** The notification state of one stand-in: what was shown, and whether the system supports any. */
export interface NotificationCenter {
  supported: boolean;
  shown: NotificationStandIn[];
}

export class NotificationStandIn extends EventEmitter {
  visible = false;
  constructor(
    readonly options: NotificationOptionsStandIn,
    private readonly center: NotificationCenter,
  ) {
    super();
  }
  get title(): string {
    return this.options.title ?? '';
  }
  get body(): string {
    return this.options.body ?? '';
  }
  show(): void {
    this.visible = true;
    this.center.shown.push(this);
    this.emit('show', { preventDefault() {} });
  }
  close(): void {
    if (!this.visible) return;
    this.visible = false;
    this.emit('close', { preventDefault() {} });
  }
}

/** The `Notification` class bound to one stand-in's lifecycle and notification center. */
export function createNotificationClass(lifecycle: Lifecycle, center: NotificationCenter) {
  return class Notification extends NotificationStandIn {
    constructor(options: NotificationOptionsStandIn = {}) {
      if (!lifecycle.isReady)
        throw new ElectronRuleError(
          'Cannot create Notification before app is ready',
          'shell/browser/api/electron_api_notification.cc Notification::New',
        );
      super(options, center);
    }
    static isSupported(): boolean {
      return center.supported;
    }
  };
}

/** The person clicks a shown notification (Electron emits 'click' only for one on screen). */
export function clickNotification(center: NotificationCenter, index: number): void {
  const shown = center.shown[index];
  if (!shown?.visible)
    throw new ElectronRuleError('only a notification on screen can be clicked', 'docs/api/notification.md');
  shown.visible = false;
  shown.emit('click', { preventDefault() {} });
}
